import jwt from 'jsonwebtoken';
import pino from 'pino';
import { validateActivityEvent, type ActivityEvent } from '@fan/events';
import { cacheKeys } from '@fan/read-contract';
import { createTestPipeline, freshMetrics, listen, uniqueName, waitFor, type TestPipeline } from '@fan/test-support';
import { createQueryApp } from '../src/app';
import { createAnswerCache } from '../src/cache';

const SECRET = 'params-edges-secret';
const T = Date.parse('2026-11-25T12:00:00+08:00');

const start = (id: string, install: string, province: string, city: string): ActivityEvent => {
  const v = validateActivityEvent({
    event_id: id,
    event_type: 'app.session_start',
    install_id: install,
    occurred_at: T - 60_000,
    properties: { province, city },
  });
  if (!v.ok) throw new Error(v.reason);
  return v.event;
};

/**
 * Query parameters of the app-wide reads at their edges, on a real query API, Postgres and Redis:
 * a client's mistake is a 400 that names the parameter (never a 503 and an error in the log, never
 * a 200 with nothing), and a place named like an Object.prototype member is a place like any other.
 */
describe('app-wide read parameters at the edges', () => {
  let p: TestPipeline;
  let http: Awaited<ReturnType<typeof listen>>;
  const logged: Array<{ level: number; msg: string }> = [];
  const auth = { authorization: `Bearer ${jwt.sign({ sub: '777' }, SECRET, { algorithm: 'HS256', expiresIn: '1h' })}` };
  const get = async (path: string) => {
    const res = await fetch(`${http.base}${path}`, { headers: auth });
    return { status: res.status, text: await res.text() };
  };

  beforeAll(async () => {
    p = await createTestPipeline('paramedges', 3);
    p.start('presence-aggregator', { PRESENCE_AGG_GROUP_ID: uniqueName('presence'), PRESENCE_AGG_HEALTH_PORT: '0' });
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => void logged.push(JSON.parse(line) as { level: number; msg: string }) },
    );
    const app = createQueryApp({
      db: p.db.pool,
      cache: createAnswerCache(p.redis, cacheKeys(p.cachePrefix), 300, logger),
      jwtSecret: SECRET,
      tz: 'Asia/Shanghai',
      clock: () => T,
      logger,
      metrics: freshMetrics(),
      health: {},
    });
    http = await listen(app);
    await p.publisher.publish([
      start('pe-1', 'i-1', '__proto__', 'constructor'),
      start('pe-2', 'i-2', '__proto__', 'toString'),
      start('pe-3', 'i-3', 'hasOwnProperty', '__proto__'),
    ]);
    await waitFor(
      'sessions applied',
      async () => (await p.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM presence_activity')).rows[0]!.n === 3,
      60_000,
      200,
    );
  }, 120_000);
  afterAll(async () => {
    await http.close();
    await p.stop();
  });

  const to = encodeURIComponent('2026-11-25T00:00:00Z');
  it.each([
    [`/api/v1/presence/online-history?from=0000-01-01T00:00:00Z&to=${to}&interval=1h`, 'from must be from 2000-01-01 to 2099-12-31 (UTC)'],
    [
      `/api/v1/presence/online-history?from=${encodeURIComponent('+275760-09-13T00:00:00Z')}&to=${to}&interval=1h`,
      'from must be epoch milliseconds or ISO-8601 with an offset',
    ],
    [
      `/api/v1/presence/online-history?from=2026-11-24T00:00:00Z&to=${encodeURIComponent('+275760-09-13T00:00:00Z')}&interval=1h`,
      'to must be epoch milliseconds or ISO-8601 with an offset',
    ],
    [
      `/api/v1/presence/online-history?from=2026-11-24T00:00:00Z&to=9999-12-31T00:00:00Z&interval=1h`,
      'to must be from 2000-01-01 to 2099-12-31 (UTC)',
    ],
    [
      `/api/v1/presence/online-history?from=${encodeURIComponent('2026-02-30T10:00:00+08:00')}&to=${to}&interval=1h`,
      'from is not a calendar date',
    ],
    [
      `/api/v1/presence/online-history?from=${encodeURIComponent('2026-11-24T10:00:00+23:59')}&to=${to}&interval=1h`,
      'from offset must be within ±14:00',
    ],
    [`/api/v1/presence/online-history?from=2026-11-24T00:00:00Z&to=${to}&interval=constructor`, 'interval must be one of 1m, 5m, 1h'],
    [`/api/v1/presence/online-history?from=2026-11-24T00:00:00Z&to=${to}&interval=__proto__`, 'interval must be one of 1m, 5m, 1h'],
    [`/api/v1/presence/online-history?from=2026-11-24T00:00:00Z&to=${to}&interval=toString`, 'interval must be one of 1m, 5m, 1h'],
    ['/api/v1/analytics/dau?start_date=0000-01-01&end_date=0000-01-02', 'start_date must be from 1999-12-31 to 2100-01-01'],
    ['/api/v1/analytics/dau?start_date=2026-11-24&end_date=9999-12-31', 'end_date must be from 1999-12-31 to 2100-01-01'],
  ])('400 for %s', async (path, message) => {
    logged.length = 0;
    expect(await get(path)).toEqual({ status: 400, text: JSON.stringify({ code: 400, message }) });
    expect(logged.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('online history with epoch ms bounds answers the same points as the ISO form', async () => {
    const iso = await get(
      `/api/v1/presence/online-history?from=${encodeURIComponent('2026-11-25T11:58:00+08:00')}&to=${encodeURIComponent('2026-11-25T12:00:00+08:00')}&interval=1m`,
    );
    const ms = await get(`/api/v1/presence/online-history?from=${T - 120_000}&to=${T}&interval=1m`);
    const points = [
      { at: '2026-11-25T03:59:00.000Z', count: 3 },
      { at: '2026-11-25T04:00:00.000Z', count: 3 },
    ];
    expect(iso).toEqual({ status: 200, text: JSON.stringify({ code: 200, data: { points } }) });
    expect(ms).toEqual(iso);
  });

  it('a province or city named __proto__, constructor or toString is in the DAU answer, from Postgres and from the cache', async () => {
    // Parsed by JSON.parse on both sides: it defines an own `__proto__` key (an object literal would
    // set the prototype instead); the order of places is the database's collation's.
    const expected = JSON.parse(
      '{"code":200,"data":{"days":[{"date":"2026-11-25","dau":3,' +
        '"by_province":{"__proto__":2,"hasOwnProperty":1},"by_city":{"__proto__":1,"constructor":1,"toString":1}}],"total_days":1}}',
    ) as unknown;
    const path = '/api/v1/analytics/dau?start_date=2026-11-25&end_date=2026-11-25';
    await waitFor('counts of the day', async () => (await get(path)).text.includes('"dau":3'), 20_000, 100);
    for (const from of ['postgres', 'redis']) {
      const r = await get(path);
      expect([from, r.status, JSON.parse(r.text)]).toEqual([from, 200, expected]);
      expect(r.text).toContain('"__proto__":2');
      expect(r.text).toContain('"__proto__":1');
    }
  });
});
