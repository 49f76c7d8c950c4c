/**
 * `npm run schemas:register`: registers the project's Avro schemas (BACKWARD compatibility) once,
 * before any service starts, as `npm run migrate` does for tables. Safe to run again and from
 * several places at once. Waits up to REGISTER_WAIT_MS (60 s) for a registry that is starting.
 */
import { registerSchemas, registryEndpoint, RegistryUnavailableError, subjectOf } from './registry';
import { registerSettings } from './register-settings';

async function main(): Promise<void> {
  const { registryUrl: rawUrl, waitMs } = registerSettings();
  const deadline = Date.now() + waitMs;
  for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
    try {
      const ids = await registerSchemas(rawUrl);
      const list = Object.entries(ids).map(([t, id]) => `${subjectOf(t as never)}=${id}`);
      console.log(`schemas registered at ${registryEndpoint(rawUrl).url}: ${list.join(' ')}`);
      return;
    } catch (err) {
      if (!(err instanceof RegistryUnavailableError) || Date.now() > deadline) throw err;
      console.error(`schemas:register: ${err.message}; retrying in ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

main().catch((err: Error) => {
  console.error(`schemas:register failed: ${err.message}`);
  process.exit(1);
});
