import type { Pool, PoolClient } from 'pg';
import { isClientTimeout } from './pool';

/**
 * BEGIN … COMMIT around `work`. While checked out, a client whose connection dies emits 'error';
 * without a listener that would crash the process (the pool only guards idle clients), so one is
 * attached for the duration and the broken client is discarded instead of returned to the pool.
 * https://node-postgres.com/apis/pool#error
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (err: Error) => (broken = err);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // A query that got no answer in time still holds the connection: a ROLLBACK would queue
    // behind it and wait out its own timeout. The connection is dropped instead (Postgres rolls
    // back a transaction whose connection is gone).
    if (isClientTimeout(err)) broken ??= err as Error;
    else await client.query('ROLLBACK').catch((e: Error) => (broken ??= e));
    throw err;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
