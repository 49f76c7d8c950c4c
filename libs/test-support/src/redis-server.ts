import { spawn, type ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import { freePort } from './fresh-registry';
import { waitFor } from './stack';

export interface OwnRedis {
  port: number;
  url: string;
  /** SIGKILL and start again on the same port, empty (no persistence): a Redis restart as it loses its data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A redis-server of the test's own on a free port, without persistence, for faults that stop or
 * empty it: never the machine's shared Redis.
 */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const up = async () => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitFor(
      `redis-server on ${port}`,
      async () => {
        const c = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
        c.on('error', () => undefined);
        try {
          await c.connect();
          return (await c.ping()) === 'PONG';
        } catch {
          return false;
        } finally {
          c.disconnect();
        }
      },
      10_000,
      50,
    );
  };
  const down = async () => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  };
  await up();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    restart: async () => {
      await down();
      await up();
    },
    stop: down,
  };
}
