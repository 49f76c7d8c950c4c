import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ALL_TYPES as EVENT_TYPES } from '@fan/schemas';
import { startFreshRegistry, startService, type FreshRegistry } from '@fan/test-support';
import { COMPATIBILITY, lookupSchemaIds, SchemaMissingError, subjectOf } from '../src/registry';

const ROOT = join(__dirname, '../../..');
const CLI = join(ROOT, 'libs/event-codec/src/register-schemas-cli.ts');

function runCli(url: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI], {
      cwd: ROOT,
      env: { ...process.env, SCHEMA_REGISTRY_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return res.json();
}

describe('schema registration on an empty registry', () => {
  let reg: FreshRegistry;
  beforeAll(async () => {
    reg = await startFreshRegistry();
  }, 180_000);
  afterAll(async () => {
    await reg?.stop();
  });

  it('a producer refuses to start while a subject is missing, naming it and the command', async () => {
    await expect(lookupSchemaIds(reg.url)).rejects.toThrow(SchemaMissingError);
    await expect(lookupSchemaIds(reg.url)).rejects.toThrow(`schema subject ${subjectOf(EVENT_TYPES[0])} is not registered`);
    const ingest = startService('ingest', { SCHEMA_REGISTRY_URL: reg.url, INGEST_PORT: '0', TOPIC_PREFIX: `unused${reg.port}` });
    expect(await ingest.stop('SIGCONT')).toBe(1);
    expect(ingest.output()).toContain('run `npm run schemas:register` first');
    expect(ingest.output()).toContain('fan.dashboard.events.');
  });

  it('four registrations at once all succeed, with one version per subject and the same ids', async () => {
    const runs = await Promise.all([1, 2, 3, 4].map(() => runCli(reg.url)));
    for (const r of runs) expect({ code: r.code, out: r.out }).toEqual({ code: 0, out: expect.stringContaining('schemas registered') });
    const idLines = runs.map(
      (r) =>
        r.out
          .split('\n')
          .find((l) => l.startsWith('schemas registered'))!
          .split(': ')[1],
    );
    expect(new Set(idLines).size).toBe(1);

    const ids = await lookupSchemaIds(reg.url);
    expect(new Set(Object.values(ids)).size).toBe(EVENT_TYPES.length);
    for (const type of EVENT_TYPES) {
      const subject = encodeURIComponent(subjectOf(type));
      expect(await getJson(`${reg.url}/subjects/${subject}/versions`)).toEqual([1]);
      const config = (await getJson(`${reg.url}/config/${subject}`)) as { compatibilityLevel?: string; compatibility?: string };
      expect(config.compatibilityLevel ?? config.compatibility).toBe(COMPATIBILITY);
    }
    // And again, sequentially: idempotent, same ids.
    const again = await runCli(reg.url);
    expect(again.code).toBe(0);
    expect(again.out).toContain(idLines[0]);
  });
});
