import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Builds the services a bench starts and makes startService run their bundles, so that what is
 * measured is what `npm start` runs (not tsx compiling sources). BENCH_FROM_SOURCES=1 skips this.
 */
export function useBuiltServices(names: string[]): string {
  if (process.env.BENCH_FROM_SOURCES) return 'Services run from sources under tsx.';
  console.log(`building ${names.join(', ')}…`);
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...names, '--outputStyle=static'], {
    cwd: join(__dirname, '../..'),
    stdio: 'ignore',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  });
  process.env.SERVICE_RUNTIME = 'dist';
  return 'Services run from their built bundles (node dist/main.js), as npm start runs them.';
}
