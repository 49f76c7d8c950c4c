import Redis from 'ioredis';
import { cacheKeys } from '@fan/read-contract';
import { validateActivityEvent, type ActivityEvent } from '@fan/events';
import { createTestPipeline, stackEnv, uniqueName, waitFor, type TestPipeline } from '@fan/test-support';

const DAY_AT = Date.parse('2026-11-25T10:00:00+08:00');
const start = (i: number, city: string): ActivityEvent => {
  const v = validateActivityEvent({
    event_id: `h-${i}-${city}`,
    event_type: 'app.session_start',
    install_id: `dev-${i}`,
    occurred_at: DAY_AT + (i % 3600) * 1000,
    properties: { province: 'Guangdong', city },
  });
  if (!v.ok) throw new Error(v.reason);
  return v.event;
};

/** PRESENCE_DAU_MODE=hll on the real stack: Redis HyperLogLogs instead of rows, within their error. */
describe('presence aggregator, HyperLogLog mode', () => {
  let p: TestPipeline;
  let redis: Redis;
  beforeAll(async () => {
    p = await createTestPipeline('hll', 3);
    redis = new Redis(stackEnv().REDIS_URL);
    p.start('presence-aggregator', {
      PRESENCE_AGG_GROUP_ID: uniqueName('presence'),
      PRESENCE_AGG_HEALTH_PORT: '0',
      PRESENCE_DAU_MODE: 'hll',
    });
  });
  afterAll(async () => {
    redis.disconnect();
    await p.stop();
  });

  it('20,000 identities: the estimate is within 3 standard errors (2.4 %), repeats change nothing, no daily rows', async () => {
    const N = 20_000;
    const events = Array.from({ length: N }, (_, i) => start(i, i % 4 === 0 ? 'Guangzhou' : 'Shenzhen'));
    for (let i = 0; i < N; i += 5000) await p.publisher.publish(events.slice(i, i + 5000));
    await p.publisher.publish(events.slice(0, 2000)); // repeats
    const keys = cacheKeys(p.cachePrefix);
    await waitFor(
      'all applied',
      async () => (await p.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM presence_activity')).rows[0]!.n === N,
      60_000,
      250,
    );
    const D = '2026-11-25';
    // The PFADDs of a chunk follow its transaction: wait until the last chunk's are in.
    const dau = await waitFor(
      'estimate settled',
      async () => {
        const n = await redis.pfcount(keys.hllDau(D));
        return Math.abs(n - N) / N < 0.024 ? n : undefined;
      },
      20_000,
      250,
    );
    const day = {
      dau,
      by_province: { Guangdong: await redis.pfcount(keys.hllPlace(D, 'province', 'Guangdong')) },
      by_city: {
        Guangzhou: await redis.pfcount(keys.hllPlace(D, 'city', 'Guangzhou')),
        Shenzhen: await redis.pfcount(keys.hllPlace(D, 'city', 'Shenzhen')),
      },
    };
    expect((await redis.smembers(keys.hllPlaces(D, 'city'))).sort()).toEqual(['Guangzhou', 'Shenzhen']);
    const err = (got: number, want: number) => Math.abs(got - want) / want;
    expect(err(day.dau, N)).toBeLessThan(0.024);
    expect(err(day.by_province.Guangdong!, N)).toBeLessThan(0.024);
    expect(err(day.by_city.Guangzhou!, N / 4)).toBeLessThan(0.024);
    expect(err(day.by_city.Shenzhen!, (3 * N) / 4)).toBeLessThan(0.024);
    expect((await p.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM presence_daily_active')).rows[0]!.n).toBe(0);
    console.log(`HLL estimate of ${N}: ${day.dau} (error ${(err(day.dau, N) * 100).toFixed(2)} %)`);
    await redis.del(
      keys.hllDau('2026-11-25'),
      keys.hllPlaces('2026-11-25', 'province'),
      keys.hllPlaces('2026-11-25', 'city'),
      keys.hllPlace('2026-11-25', 'province', 'Guangdong'),
      keys.hllPlace('2026-11-25', 'city', 'Guangzhou'),
      keys.hllPlace('2026-11-25', 'city', 'Shenzhen'),
    );
  });
});
