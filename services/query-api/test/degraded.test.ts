import { spawn } from 'node:child_process';
import { request } from 'node:http';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { READS, cacheKeys, type ReadsChanged } from '@fan/read-contract';
import {
  createTestDatabase,
  freePort,
  listen,
  silentLogger,
  freshMetrics,
  startService,
  uniqueName,
  waitFor,
  type TestDatabase,
} from '@fan/test-support';
import { createQueryApp } from '../src/app';
import { createAnswerCache } from '../src/cache';
import { token, JWT_SECRET } from './harness';

describe('query API with a dependency down', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('degraded');
    await db.pool.query(`INSERT INTO agg_balance VALUES (7, 42, 99, now(), 'e')`);
  });
  afterAll(async () => db.drop());

  async function serve(pool: Pool, redis: Redis) {
    const app = createQueryApp({
      db: pool,
      cache: createAnswerCache(redis, cacheKeys('degraded'), 60, silentLogger()),
      jwtSecret: JWT_SECRET,
      tz: 'Asia/Shanghai',
      clock: Date.now,
      logger: silentLogger(),
      metrics: freshMetrics(),
      health: {},
    });
    return listen(app);
  }
  const read = (base: string) =>
    fetch(`${base}/api/v1/dashboard/today-overview?star_id=7`, { headers: { authorization: `Bearer ${token('42')}` } }).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));

  it('answers from Postgres when Redis is down', async () => {
    const deadRedis = new Redis({
      port: 1,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    deadRedis.on('error', () => undefined);
    const { base, close } = await serve(db.pool, deadRedis);
    expect(await read(base)).toEqual({
      status: 200,
      body: { code: 200, data: { crystal_balance: 99, today_income: 0, week_rank: 0, week_total_users: 0 } },
    });
    await close();
    deadRedis.disconnect();
  });

  it('answers a clear 503 when Postgres is down', async () => {
    const deadPg = new Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 500 });
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const { base, close } = await serve(deadPg, redis);
    expect(await read(base)).toEqual({ status: 503, body: { code: 503, message: 'dashboard storage is unavailable, try again shortly' } });
    await close();
    redis.disconnect();
    await deadPg.end();
  });

  it('starts while Redis is away, answers from Postgres, and follows the change feed once Redis is up', async () => {
    const redisPort = await freePort();
    const prefix = uniqueName('degraded');
    const api = startService('query-api', {
      DATABASE_URL: db.url,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      CACHE_PREFIX: prefix,
      QUERY_PORT: '0',
      JWT_SECRET,
    });
    let redisServer: ReturnType<typeof spawn> | undefined;
    try {
      const port = await waitFor(
        'query API listening with Redis away',
        async () => /"port":(\d+),"clock"/.exec(api.output())?.[1],
        30_000,
        50,
      );
      const base = `http://127.0.0.1:${port}`;
      expect(await read(base)).toEqual({
        status: 200,
        body: { code: 200, data: { crystal_balance: 99, today_income: 0, week_rank: 0, week_total_users: 0 } },
      });

      let stream = '';
      const req = request(`${base}/api/v1/dashboard/stream?star_id=7`, { headers: { authorization: `Bearer ${token('42')}` } });
      req.on('response', (res) => res.setEncoding('utf8').on('data', (d: string) => (stream += d)));
      req.on('error', () => undefined);
      req.end();
      await waitFor('stream ready', async () => stream.includes('event: ready'), 10_000, 20);

      redisServer = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      });
      await waitFor('change feed subscribed', async () => api.output().includes('change feed: subscribed'), 30_000, 50);
      const pub = new Redis(`redis://127.0.0.1:${redisPort}`);
      const changed: ReadsChanged[] = [{ star: '7', user: '42', reads: ['today-overview'] }];
      expect(await pub.publish(cacheKeys(prefix).changesChannel, JSON.stringify(changed))).toBe(1);
      pub.disconnect();
      // The stream opened while the feed was away: told to refetch every read once subscribed (the
      // resync), and the announcement itself.
      const events = () => [...stream.matchAll(/event: changed\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!) as { reads: string[] });
      await waitFor('both changed events', async () => events().length === 2, 10_000, 20);
      const byLength = events().sort((a, b) => a.reads.length - b.reads.length);
      expect(byLength).toEqual([{ reads: ['today-overview'] }, { reads: [...READS] }]);
      req.destroy();
    } finally {
      expect(await api.stop()).toBe(0);
      redisServer?.kill();
    }
  });
});
