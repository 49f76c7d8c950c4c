import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dropDatabase } from '@fan/migrations';
import { stackEnv, uniqueName } from './stack';

const ROOT = join(__dirname, '../../..');
const run = promisify(execFile);

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface FreshRegistry {
  url: string;
  port: number;
  /** The registry's own store: an empty Postgres database made for this registry. */
  database: string;
  /** Environment for scripts/stack/*.sh (and npm start) that selects this registry. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * A second Apicurio Registry with an empty store, started by the project's own stack script on a
 * free port (Kafka, Postgres and Redis are reused), as a fresh machine's first run sees it.
 */
export async function startFreshRegistry(): Promise<FreshRegistry> {
  const port = await freePort();
  const managementPort = await freePort();
  const database = uniqueName('reg');
  const runDir = mkdtempSync(join(tmpdir(), 'fresh-registry-'));
  const startedList = join(runDir, 'started');
  writeFileSync(startedList, '');
  const url = `http://127.0.0.1:${port}/apis/ccompat/v7`;
  const env = {
    REGISTRY_PORT: String(port),
    REGISTRY_MANAGEMENT_PORT: String(managementPort),
    REGISTRY_DB: database,
    RUN_DIR: runDir,
    SCHEMA_REGISTRY_URL: url,
    REGISTRY_LOG: join(runDir, 'registry.log'),
  };
  const scriptEnv = { ...process.env, ...env, STARTED_LIST: startedList };
  const stop = async () => {
    await run('bash', [join(ROOT, 'scripts/stack/down.sh')], { env: scriptEnv });
    const admin = new URL(stackEnv().PG_ADMIN_URL);
    admin.pathname = `/${database}`;
    await dropDatabase(admin.toString());
    rmSync(runDir, { recursive: true, force: true });
  };
  try {
    await run('bash', [join(ROOT, 'scripts/stack/up.sh')], { env: scriptEnv });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, database, env, stop };
}
