/** `npm run migrate`: creates the database if needed and applies pending migrations. */
import { Pool } from 'pg';
import { commonConfig } from '@fan/config';
import { ensureDatabase } from './database';
import { migrate } from './migrate';

async function main(): Promise<void> {
  const { databaseUrl } = commonConfig();
  await ensureDatabase(databaseUrl);
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const applied = await migrate(pool);
    console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'migrations: up to date');
  } finally {
    await pool.end();
  }
}

main().catch((err: Error) => {
  console.error(`migrate: ${err.message}`);
  process.exit(1);
});
