import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const CLI = join(ROOT, 'libs/event-codec/src/register-schemas-cli.ts');

/** `npm run schemas:register` with a bad setting: it stops at once instead of retrying forever. */
describe('schemas:register settings', () => {
  it('REGISTER_WAIT_MS=abc exits 1 at once with a message naming the variable, before any request', async () => {
    // A registry that never answers: with the NaN deadline of before, the command retried it forever.
    const env = { ...process.env, SCHEMA_REGISTRY_URL: 'http://127.0.0.1:9/apis/ccompat/v7', REGISTER_WAIT_MS: 'abc' };
    const child = spawn(process.execPath, ['--import', 'tsx', CLI], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null | 'still running'>((resolve) => {
      const t = setTimeout(() => resolve('still running'), 30_000);
      child.on('exit', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    child.kill('SIGKILL');
    expect({ code, stdout, stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr: 'schemas:register failed: invalid settings:\n  REGISTER_WAIT_MS: Expected number, received nan\n',
    });
  }, 60_000);
});
