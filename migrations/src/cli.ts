/** `npm run migrate`: creates the database if needed and applies pending migrations. */
import { commonConfig } from '@fan/config';
import { createPool } from '@fan/db';
import { ensureDatabase } from './database';
import { migrate } from './migrate';

async function main(): Promise<void> {
  const { databaseUrl, pg } = commonConfig();
  await ensureDatabase(databaseUrl);
  // The one pool constructor: a multi-host DATABASE_URL reaches the primary here too.
  const pool = createPool(databaseUrl, 1, { ...pg, statementTimeoutMs: 0 });
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
