import { Client, Pool, type ClientBase, type ClientConfig } from 'pg';
import type { PgBounds } from '@fan/config';
import { parseDatabaseHosts, type DatabaseHosts } from './hosts';

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
  const hosts = parseDatabaseHosts(connectionString);
  const multi = hosts.hosts.length > 1 || hosts.readWrite;
  const pool = new Pool({
    connectionString,
    ...(multi ? targetedClients(hosts) : {}),
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

/** A server that only takes reads (a standby) when DATABASE_URL asks for target_session_attrs=read-write. */
export class ReadOnlyServerError extends Error {
  readonly fault = 'transient';
  constructor(host: string) {
    super(`Postgres at ${host} accepts no writes (a standby); trying the next host of DATABASE_URL`);
  }
}

/**
 * libpq's multi-host failover for node-postgres: each new connection goes to the host that last
 * worked; one that cannot be reached, or that is a standby when writes are wanted, moves every next
 * connection on to the next host in DATABASE_URL's order (round and round, with the callers'
 * transient retry as the backoff). After a failover a pool reconnects to the promoted standby by
 * itself; connections to the dead primary fail and are discarded as before.
 */
function targetedClients(d: DatabaseHosts): { Client: typeof Client; onConnect?: (client: ClientBase) => Promise<void> } {
  let current = 0;
  const moveOn = (from: number) => {
    if (current === from) current = (from + 1) % d.hosts.length;
  };
  class TargetedClient extends Client {
    readonly hostIndex: number;
    constructor(config?: string | ClientConfig) {
      const index = current;
      super({ ...(typeof config === 'object' ? config : {}), connectionString: d.urlFor(index) });
      this.hostIndex = index;
    }
    // pg's Client.connect is overloaded (promise or callback, as pg-pool calls it); both are kept.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override connect(callback?: ((err: Error) => void) | ((err: null, c: Client) => void)): any {
      if (callback)
        return super.connect((err: Error | null) => {
          if (err) moveOn(this.hostIndex);
          (callback as (e: Error | null, c: Client) => void)(err, this);
        });
      return super.connect().catch((err: Error) => {
        moveOn(this.hostIndex);
        throw err;
      });
    }
  }
  const onConnect = async (client: ClientBase) => {
    const r = await client.query<{ transaction_read_only: string }>('SHOW transaction_read_only');
    if (r.rows[0]?.transaction_read_only === 'on') {
      const index = (client as unknown as TargetedClient).hostIndex;
      moveOn(index);
      const h = d.hosts[index]!;
      throw new ReadOnlyServerError(`${h.host}:${h.port}`);
    }
  };
  return d.readWrite ? { Client: TargetedClient, onConnect } : { Client: TargetedClient };
}
