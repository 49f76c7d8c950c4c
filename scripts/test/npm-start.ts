// Running `npm start` from a test: in a process group of its own, stopped as a user would (Ctrl-C).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor } from '@fan/test-support';

const ROOT = join(__dirname, '../..');

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `npm start` exactly as the README runs it, in a process group of its own (Ctrl-C reaches all of it). */
export function npmStart(env: Record<string, string>): Started {
  const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}
export const interrupt = (s: Started) => {
  try {
    process.kill(-s.child.pid!, 'SIGINT');
  } catch {
    /* already gone */
  }
};
/** Ctrl-C: npm itself dies of the SIGINT; start.sh (same group) stops what it started — wait for the group. */
export async function interruptAndWait(s: Started): Promise<void> {
  interrupt(s);
  await waitFor(
    'npm start to stop everything',
    async () => {
      try {
        process.kill(-s.child.pid!, 0);
        return false;
      } catch {
        return true;
      }
    },
    90_000,
    250,
  );
}
export const kill = (s: Started) => {
  try {
    process.kill(-s.child.pid!, 'SIGKILL');
  } catch {
    /* already gone */
  }
};
export const healthy = async (port: number) => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200;
export const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(true))
      .listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
