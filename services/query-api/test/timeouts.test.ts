import { createTcpProxy, createTestDatabase, startService, uniqueName, waitFor, type TcpProxy, type TestDatabase } from '@fan/test-support';
import { token, JWT_SECRET } from './harness';

/**
 * Postgres and Redis that accept connections but never answer (issue 22), in front of the real
 * query API process: before, a read hung past 25 s, until the socket died, while /healthz already
 * said 503. Every call is bounded now: a read answers 503 in its bound, Redis that hangs is a cache
 * miss, and once the dependency answers again so does the API, without a restart.
 */
describe('query API with Postgres or Redis hanging', () => {
  let db: TestDatabase;
  let pg: TcpProxy;
  let redis: TcpProxy;
  let api: ReturnType<typeof startService>;
  let base: string;
  beforeAll(async () => {
    db = await createTestDatabase('hang');
    await db.pool.query(`INSERT INTO agg_balance VALUES (7, 42, 99, now(), 'e')`);
    const dbUrl = new URL(db.url);
    pg = await createTcpProxy(dbUrl.hostname, Number(dbUrl.port || 5432));
    const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    redis = await createTcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
    dbUrl.port = String(pg.port);
    api = startService('query-api', {
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      CACHE_PREFIX: uniqueName('hang'),
      QUERY_PORT: '0',
      JWT_SECRET,
      QUERY_PG_STATEMENT_TIMEOUT_MS: '1000',
      PG_CONNECT_TIMEOUT_MS: '1000',
    });
    const port = await waitFor('query API listening', async () => /"port":(\d+),"clock"/.exec(api.output())?.[1], 30_000, 50);
    base = `http://127.0.0.1:${port}`;
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
    await pg?.close();
    await redis?.close();
    await db?.drop();
  });

  const read = async (user = '42') => {
    const started = Date.now();
    const r = await fetch(`${base}/api/v1/dashboard/today-overview?star_id=7`, { headers: { authorization: `Bearer ${token(user)}` } });
    return { status: r.status, body: (await r.json()) as unknown, ms: Date.now() - started };
  };
  const ok = { code: 200, data: { crystal_balance: 99, today_income: 0, week_rank: 0, week_total_users: 0 } };
  const unavailable = { code: 503, message: 'dashboard storage is unavailable, try again shortly' };

  it('answers 503 within its bound while Postgres hangs, on open and on new connections, then 200 again', async () => {
    expect(await read()).toMatchObject({ status: 200, body: ok });
    pg.blackHole();
    // Another user each time: the answer cache must not hide the hang.
    const onOpen = await read('43');
    expect([onOpen.status, onOpen.body]).toEqual([503, unavailable]);
    // statement bound 1 s + the client's 2 s grace (the server cannot cancel what it never received).
    expect(onOpen.ms).toBeLessThan(4_500);
    const fresh = await Promise.all(['44', '45', '46'].map((u) => read(u)));
    expect(fresh.map((r) => r.status)).toEqual([503, 503, 503]);
    expect(Math.max(...fresh.map((r) => r.ms))).toBeLessThan(4_500);
    process.stdout.write(`Postgres hanging: 503 after ${onOpen.ms} ms (open connection), ${fresh.map((r) => r.ms).join('/')} ms (new)\n`);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    await pg.restore();
    await waitFor('reads answer again', async () => (await read('47')).status === 200, 15_000, 200);
    expect(await read('48')).toMatchObject({ status: 200 });
    expect(api.output()).not.toMatch(/uncaught|unhandled/i);
  }, 60_000);

  it('answers from Postgres when Redis hangs, each read bounded by the cache bound', async () => {
    redis.blackHole();
    const answers = await Promise.all(['50', '51', '42'].map((u) => read(u)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers[2]!.body).toEqual(ok);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(2_000);
    process.stdout.write(`Redis hanging: 200 from Postgres after ${answers.map((a) => a.ms).join('/')} ms\n`);
    await redis.restore();
    await waitFor('cache answers again', async () => (await read('42')).status === 200, 15_000, 200);
  }, 60_000);
});
