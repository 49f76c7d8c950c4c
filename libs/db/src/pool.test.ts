import { createPool, isClientTimeout } from './pool';

describe('createPool', () => {
  const options = (statementTimeoutMs: number) => {
    const pool = createPool('postgres://x@127.0.0.1:1/none', 3, { connectTimeoutMs: 1500, statementTimeoutMs });
    const o = pool.options as unknown as Record<string, unknown>;
    void pool.end();
    return [o.max, o.connectionTimeoutMillis, o.statement_timeout, o.query_timeout, o.keepAlive];
  };
  it('bounds the connection, the statement (server side) and the answer (client side, 2 s later)', () => {
    expect(options(30_000)).toEqual([3, 1500, 30_000, 32_000, true]);
  });
  it('leaves statements unbounded for a rebuild (0), never the connection', () => {
    expect(options(0)).toEqual([3, 1500, undefined, undefined, true]);
  });
  it('recognises only the client-side timeout', () => {
    expect(
      [new Error('Query read timeout'), new Error('canceling statement due to statement timeout'), 'Query read timeout'].map(
        isClientTimeout,
      ),
    ).toEqual([true, false, false]);
  });
});
