import type { Pool, PoolClient } from 'pg';

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
    await client.query('ROLLBACK').catch((e: Error) => (broken ??= e));
    throw err;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
