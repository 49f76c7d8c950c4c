/**
 * npm run rebuild: every table the manifest marks rebuildable (`owns.rebuild`), recomputed from
 * raw_events, one owner after another (stop those aggregators first; docs/RUNBOOK.md). A new
 * aggregator with a rebuild script is included by its manifest entry alone.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { rebuildScripts } from '@fan/config';

const ROOT = join(__dirname, '..');
for (const script of rebuildScripts()) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(
      `[rebuild] ${script} failed (exit ${r.status ?? r.signal}); the tables of the owners before it are rebuilt, the rest untouched`,
    );
    process.exit(r.status ?? 1);
  }
}
