import type { Pool } from 'pg';
import { createPool } from '@fan/db';
import { dropDatabase, ensureDatabase, migrate } from '@fan/migrations';
import { stackEnv, uniqueName } from './stack';

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

/** Where a test database lives when not on the machine's shared Postgres (a pair of the test's own). */
export interface TestDatabaseServer {
  /** The URL services and the test get for database `name` (e.g. a multi-host URL). */
  urlFor(name: string): string;
}

/** A fresh, migrated database of its own; drop() removes it. */
export async function createTestDatabase(prefix = 'test', server?: TestDatabaseServer): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  const url = new URL(stackEnv().PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const dbUrl = server ? server.urlFor(name) : url.toString();
  await ensureDatabase(dbUrl);
  // The processes' own pool (multi-host DATABASE_URLs included), bounded like theirs.
  const pool = createPool(dbUrl, 4, { connectTimeoutMs: 5000, statementTimeoutMs: 30_000 });
  // pool.end() ends idle clients without waiting for their sockets to close, so the forced DROP in
  // drop() can terminate one first; pg-pool then emits that on the pool, and with no listener the
  // test process would die after its tests passed. Errors of checked-out clients still reach the
  // query that hit them.
  pool.on('error', () => undefined);
  await migrate(pool);
  return {
    url: dbUrl,
    pool,
    drop: async () => {
      await pool.end();
      await dropDatabase(dbUrl);
    },
  };
}
