import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

export interface ServiceProcess {
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs a service from its TypeScript sources (as a separate OS process, so tests can SIGKILL it)
 * with the given environment on top of the test's own. `nodeArgs` go to node itself (--cpu-prof,
 * --max-old-space-size), which NODE_OPTIONS does not always accept.
 */
export function startService(name: string, env: Record<string, string>, nodeArgs: string[] = []): ServiceProcess {
  // SERVICE_RUNTIME=dist runs the built bundle, as `npm start` does (benchmarks build first).
  const entry =
    process.env.SERVICE_RUNTIME === 'dist'
      ? ['--enable-source-maps', join(ROOT, 'services', name, 'dist/main.js')]
      : ['--import', 'tsx', join(ROOT, 'services', name, 'src/main.ts')];
  // The same heap bound as scripts/start.sh gives every service (NODE_HEAP_MB, default 160).
  const heapMb = Number(process.env.NODE_HEAP_MB ?? '160');
  const heap = [`--max-old-space-size=${heapMb}`, `--initial-old-space-size=${Math.floor(heapMb / 2)}`];
  const child = spawn(process.execPath, [...heap, ...nodeArgs, ...entry], {
    cwd: ROOT,
    // As npm start and the image run every service (deploy/docker/entrypoint.sh).
    env: { MALLOC_ARENA_MAX: '2', ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
