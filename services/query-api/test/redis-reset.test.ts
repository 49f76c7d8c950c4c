import { request } from 'node:http';
import Redis from 'ioredis';
import { cacheKeys, READS } from '@fan/read-contract';
import { createTestPipeline, silentLogger, startOwnRedis, waitFor, type OwnRedis, type TestPipeline } from '@fan/test-support';
import { createAnswerCache } from '../src/cache';
import { JWT_SECRET, toEvents, token } from './harness';
import { startQueryProcess } from './query-process';

/**
 * Issue 25: Redis emptied (FLUSHALL) or restarted without persistence while answers are cached and
 * streams are open. A Redis of the test's own; the machine's shared one is never touched.
 */
describe('Redis emptied or restarted without persistence', () => {
  let redis: OwnRedis;
  beforeAll(async () => {
    redis = await startOwnRedis();
  });
  afterAll(async () => redis.stop());

  it('never serves an answer a slow reader stores after Redis lost its data (the generation is not read as 0)', async () => {
    const client = new Redis(redis.url);
    const keys = cacheKeys('reset-race');
    const cache = createAnswerCache(client, keys, 300, silentLogger());
    const day = '2026-12-04';
    const week = '2026-11-30';
    // A reader looks up (miss) and computes from Postgres ...
    const first = await cache.lookup('today-overview', '7', '42', day, week);
    expect(first.hit).toBeUndefined();
    // ... meanwhile an event is applied and bumped, then Redis loses everything ...
    await client.set(keys.userGen('today-overview', '7', '42'), String(Date.now() + 1));
    await client.flushall();
    // ... and the reader stores what it computed before the event.
    first.store!('{"stale":true}');
    await waitFor('stored', async () => (await client.dbsize()) === 1, 5_000, 10);
    const next = await cache.lookup('today-overview', '7', '42', day, week);
    expect(next.hit).toBeUndefined();
    // A store and lookup under the same generation still hits (the cache works at all).
    next.store!('{"fresh":true}');
    await waitFor(
      'fresh stored',
      async () => (await cache.lookup('today-overview', '7', '42', day, week)).hit === '{"fresh":true}',
      5_000,
      10,
    );
    client.disconnect();
  });

  describe('with the pipeline running', () => {
    let p: TestPipeline;
    beforeAll(async () => {
      p = await createTestPipeline('redisreset');
    });
    afterAll(async () => p.stop());

    it('answers what was applied after Redis restarted empty and after FLUSHALL; open streams are told to refetch every read', async () => {
      const env = { REDIS_URL: redis.url, JWT_SECRET };
      for (const name of ['income-aggregator', 'cache-invalidator']) p.start(name, env);
      const q = await startQueryProcess(p, env);
      const star = '7007';
      const user = '4242';
      let n = 0;
      const publish = async (amount: number) => {
        n++;
        await p.publisher.publish(
          toEvents([
            {
              event_id: `reset-${n}`,
              event_type: 'crystal.change',
              user_id: user,
              star_id: star,
              occurred_at: new Date(Date.now() - 1000).toISOString(),
              properties: { amount, balance_after: 1000 + n, reason: 'test' },
            },
          ]),
        );
        // Applied and its generations bumped: from here no answer may be older.
        await p.caughtUp('INCOME_AGG_GROUP_ID', p.topics.topics.events);
        await p.caughtUp('INVALIDATOR_GROUP_ID', p.topics.topics.changes);
      };
      const todayIncome = async () => {
        const r = await fetch(`${q.base}/api/v1/dashboard/today-overview?star_id=${star}`, {
          headers: { authorization: `Bearer ${token(user)}` },
        });
        return ((await r.json()) as { data: { today_income: number } }).data.today_income;
      };
      const ownRedis = new Redis(redis.url);
      const answersCached = async () => (await ownRedis.keys(`${p.env.CACHE_PREFIX}:ans:*`)).length;

      await publish(100);
      expect(await todayIncome()).toBe(100);
      expect(await todayIncome()).toBe(100);
      expect(await answersCached()).toBeGreaterThan(0);

      let stream = '';
      const req = request(`${q.base}/api/v1/dashboard/stream?star_id=${star}`, { headers: { authorization: `Bearer ${token(user)}` } });
      req.on('response', (res) => res.setEncoding('utf8').on('data', (d: string) => (stream += d)));
      req.on('error', () => undefined);
      req.end();
      await waitFor('stream ready', async () => stream.includes('event: ready'), 10_000, 20);

      // Restarted empty: the page's stream stays open and is told to refetch everything.
      ownRedis.disconnect();
      await redis.restart();
      await waitFor('resync sent', async () => stream.includes(`data: ${JSON.stringify({ reads: READS })}`), 30_000, 50);
      expect(await todayIncome()).toBe(100);
      await publish(50);
      expect(await todayIncome()).toBe(150);
      const afterRestart = stream.length;

      // Emptied while running: every answer and generation gone at once.
      const admin = new Redis(redis.url);
      expect(await todayIncome()).toBe(150);
      await admin.flushall();
      expect(await todayIncome()).toBe(150);
      await publish(25);
      expect(await todayIncome()).toBe(175);
      expect(await todayIncome()).toBe(175);
      await waitFor('change announced on the stream', async () => stream.slice(afterRestart).includes('"today-overview"'), 10_000, 20);
      admin.disconnect();
      req.destroy();
    });
  });
});
