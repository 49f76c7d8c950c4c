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
