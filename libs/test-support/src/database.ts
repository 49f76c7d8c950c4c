import { Pool } from 'pg';
import { dropDatabase, ensureDatabase, migrate } from '@fan/migrations';
import { stackEnv, uniqueName } from './stack';

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own; drop() removes it. */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const url = new URL(stackEnv().PG_ADMIN_URL);
  url.pathname = `/${uniqueName(prefix)}`;
  const dbUrl = url.toString();
  await ensureDatabase(dbUrl);
  const pool = new Pool({ connectionString: dbUrl, max: 4 });
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
