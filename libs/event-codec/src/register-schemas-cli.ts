/**
 * `npm run schemas:register`: registers the project's Avro schemas (BACKWARD compatibility) once,
 * before any service starts, as `npm run migrate` does for tables. Safe to run again and from
 * several places at once. Waits up to REGISTER_WAIT_MS (60 s) for a registry that is starting.
 */
import { retry } from '@fan/failures';
import { registerSchemas, registryEndpoint, RegistryUnavailableError, subjectOf } from './registry';
import { registerSettings } from './register-settings';

async function main(): Promise<void> {
  const { registryUrl: rawUrl, waitMs } = registerSettings();
  const ids = await retry(() => registerSchemas(rawUrl), {
    retryable: (err) => err instanceof RegistryUnavailableError,
    giveUpAfterMs: waitMs,
    initialDelayMs: 250,
    maxDelayMs: 5000,
    onRetry: (err, _attempt, delay) => console.error(`schemas:register: ${(err as Error).message}; retrying in ${delay} ms`),
  });
  const list = Object.entries(ids).map(([t, id]) => `${subjectOf(t as never)}=${id}`);
  console.log(`schemas registered at ${registryEndpoint(rawUrl).url}: ${list.join(' ')}`);
}

main().catch((err: Error) => {
  console.error(`schemas:register failed: ${err.message}`);
  process.exit(1);
});
