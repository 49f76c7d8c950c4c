import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { stackEnv } from './stack';

/**
 * Integration tests need Kafka, the registry, Postgres and Redis. `npm test` starts them first;
 * this covers a bare `npx jest`: up.sh reuses what answers and starts what is missing.
 */
export default async function globalSetup(): Promise<void> {
  const env = stackEnv();
  const ok = await fetch(`${env.SCHEMA_REGISTRY_URL}/subjects`).then((r) => r.ok, () => false);
  if (ok) return;
  execFileSync('bash', [join(__dirname, '../../../scripts/stack/up.sh')], { stdio: 'inherit' });
}
