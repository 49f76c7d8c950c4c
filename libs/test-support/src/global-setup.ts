import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { registerSchemas } from '@fan/event-codec';
import { stackEnv } from './stack';

/**
 * Integration tests need Kafka, the registry, Postgres and Redis. `npm test` starts them first;
 * this covers a bare `npx jest`: up.sh reuses what answers and starts what is missing. Schemas are
 * then registered as `npm start` does, so every test also runs against an empty registry.
 */
export default async function globalSetup(): Promise<void> {
  const env = stackEnv();
  const ok = await fetch(`${env.SCHEMA_REGISTRY_URL}/subjects`).then(
    (r) => r.ok,
    () => false,
  );
  if (!ok) execFileSync('bash', [join(__dirname, '../../../scripts/stack/up.sh')], { stdio: 'inherit' });
  await registerSchemas(env.SCHEMA_REGISTRY_URL);
}
