import { Client } from 'pg';
import { parseDatabaseHosts } from '@fan/db';

/**
 * A connection to the `postgres` database of the first host of DATABASE_URL that takes writes
 * (a multi-host URL lists a primary and its standbys; libpq's order).
 */
async function adminOfPrimary(databaseUrl: string): Promise<Client> {
  const hosts = parseDatabaseHosts(databaseUrl);
  let last: Error | undefined;
  for (let i = 0; i < hosts.hosts.length; i++) {
    const url = new URL(hosts.urlFor(i));
    url.pathname = '/postgres';
    const admin = new Client({ connectionString: url.toString() });
    try {
      await admin.connect();
      const ro = await admin.query<{ transaction_read_only: string }>('SHOW transaction_read_only');
      if (ro.rows[0]?.transaction_read_only !== 'on') return admin;
      last = new Error(`${url.host} is a standby`);
    } catch (err) {
      last = err as Error;
    }
    await admin.end().catch(() => undefined);
  }
  throw last ?? new Error('DATABASE_URL names no host');
}

/** Creates the database named in the URL if it does not exist (connecting to `postgres` first). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(parseDatabaseHosts(databaseUrl).urlFor(0)).pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`DATABASE_URL: database name "${name}" must be [A-Za-z0-9_]`);
  const admin = await adminOfPrimary(databaseUrl);
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE "${name}"`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err; // created meanwhile by another process
      });
    }
  } finally {
    await admin.end();
  }
}

/** Drops a database (tests clean up after themselves). */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(parseDatabaseHosts(databaseUrl).urlFor(0)).pathname.slice(1));
  const admin = await adminOfPrimary(databaseUrl);
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
