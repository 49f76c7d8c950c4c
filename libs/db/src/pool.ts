import { Pool } from 'pg';
import type { PgBounds } from '@fan/config';

/** How much later than Postgres's own statement_timeout the client gives up on an answer. */
const CLIENT_GRACE_MS = 2_000;

/**
 * The one way a process opens Postgres: every call is bounded. Postgres cancels a statement past
 * statement_timeout itself (57014, the connection stays usable); a Postgres that accepts
 * connections but never answers is caught by the client (connectionTimeoutMillis for a
 * connection, query_timeout a little later than the server's bound for an answer), and the
 * connection of a timed-out query is dropped rather than reused. Either way the caller gets an
 * error its retry/503 path knows, instead of a call that hangs until the socket dies.
 */
export function createPool(
  connectionString: string,
  max: number,
  bounds: PgBounds,
  logger?: { warn: (obj: object, msg: string) => void },
): Pool {
  const statement = bounds.statementTimeoutMs;
  const pool = new Pool({
    connectionString,
    max,
    connectionTimeoutMillis: bounds.connectTimeoutMs,
    ...(statement > 0 ? { statement_timeout: statement, query_timeout: statement + CLIENT_GRACE_MS } : {}),
    keepAlive: true,
  });
  // An idle connection that fails (Postgres restarted) is only news: the next query gets a new one.
  // Without a listener node would crash the process on it.
  if (logger) pool.on('error', (err) => logger.warn({ err }, 'idle Postgres connection failed'));
  return pool;
}

/** The client's own "no answer in time" error (pg has no code for it, only this message). */
export const isClientTimeout = (err: unknown): boolean => err instanceof Error && err.message === 'Query read timeout';
