import jwt from 'jsonwebtoken';
import { validateActivityEvent, type ActivityEvent } from '@fan/events';
import { cacheKeys } from '@fan/read-contract';
import { createTestPipeline, uniqueName, waitFor, type TestPipeline } from '@fan/test-support';
import { startPageServer, type PageServer } from './page-server';

const SECRET = 'presence-test-secret';
const T = Date.parse('2026-11-25T12:00:00+08:00'); // the service's "now", a whole minute
const S = 1000;
let n = 0;
const ev = (type: string, install: string, at: number, o: Record<string, unknown> = {}): ActivityEvent => {
  const v = validateActivityEvent({ event_id: `pr-${++n}`, event_type: type, install_id: install, occurred_at: at, ...o });
  if (!v.ok) throw new Error(v.reason);
  return v.event;
};

/** The three app-wide reads (CONTRACT §5) on the real pipeline, answered through the cache. */
describe('activity and presence reads', () => {
  let p: TestPipeline;
  let server: PageServer;
  const auth = { authorization: `Bearer ${jwt.sign({ sub: '777' }, SECRET, { algorithm: 'HS256', expiresIn: '1h' })}` };
  const get = async (path: string) => {
    const res = await fetch(`${server.base}${path}`, { headers: auth });
    return { status: res.status, body: (await res.json()) as { data?: Record<string, unknown>; message?: string } };
  };

  beforeAll(async () => {
    p = await createTestPipeline('presread', 3);
    p.start('presence-aggregator', { PRESENCE_AGG_GROUP_ID: uniqueName('presence'), PRESENCE_AGG_HEALTH_PORT: '0' });
    p.start('cache-invalidator');
    server = await startPageServer(p, {
      jwtSecret: SECRET,
      now: () => T,
      publishHeartbeat: (h) =>
        p.publisher.publish([
          ev('presence.heartbeat', h.installId, h.at, { user_id: h.user.toString(), properties: { app_version: h.appVersion } }),
        ]),
    });
    await p.publisher.publish([
      ev('presence.heartbeat', 'a', T - 180 * S), // exactly 180 s before T: out
      ev('presence.heartbeat', 'b', T - 179 * S), // 179 s: in
      ev('app.session_start', 'c', T - 60 * S, { properties: { province: 'Guangdong', city: 'Shenzhen' } }),
      ev('app.session_end', 'c', T - 30 * S), // ended inside the window: out
      ev('presence.heartbeat', 'd', T + 10 * S), // after T (published first): does not count at T…
      ev('presence.heartbeat', 'd', T - 10 * S), // …this one does
      ev('app.session_start', 'f', Date.parse('2026-11-24T23:59:59.999+08:00'), { properties: { province: 'Beijing', city: 'Beijing' } }),
    ]);
    await waitFor(
      'activity applied',
      async () => (await p.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM presence_activity')).rows[0]!.n === 7,
      60_000,
      200,
    );
  }, 120_000);
  afterAll(async () => {
    await server.close();
    await p.stop();
  });

  it('online now: the 180-second window edges and a session end inside it', async () => {
    const r = await get('/api/v1/presence/online-count');
    expect(r).toEqual({
      status: 200,
      body: { code: 200, data: { count: 2, window_seconds: 180, queried_at: '2026-11-25T04:00:00.000Z' } },
    });
  });

  it('online history: every minute in (from, to], computed from the events', async () => {
    const r = await get(
      `/api/v1/presence/online-history?from=${encodeURIComponent('2026-11-25T11:55:00+08:00')}&to=${encodeURIComponent('2026-11-25T12:00:00+08:00')}&interval=1m`,
    );
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({
      points: [
        { at: '2026-11-25T03:56:00.000Z', count: 0 },
        { at: '2026-11-25T03:57:00.000Z', count: 1 },
        { at: '2026-11-25T03:58:00.000Z', count: 2 },
        { at: '2026-11-25T03:59:00.000Z', count: 3 },
        { at: '2026-11-25T04:00:00.000Z', count: 2 },
      ],
    });
  });

  it('DAU per business day with provinces and cities, zero-filled', async () => {
    const r = await get('/api/v1/analytics/dau?start_date=2026-11-24&end_date=2026-11-26');
    expect(r.body.data).toEqual({
      days: [
        { date: '2026-11-24', dau: 1, by_province: { Beijing: 1 }, by_city: { Beijing: 1 } },
        { date: '2026-11-25', dau: 1, by_province: { Guangdong: 1 }, by_city: { Shenzhen: 1 } },
        { date: '2026-11-26', dau: 0, by_province: {}, by_city: {} },
      ],
      total_days: 3,
    });
  });

  it.each([
    ['/api/v1/analytics/dau?start_date=2026-11-26&end_date=2026-11-24', 'end_date is before start_date'],
    ['/api/v1/analytics/dau?start_date=2026-01-01&end_date=2026-04-03', 'at most 92 days per request, asked for 93'],
    ['/api/v1/analytics/dau?start_date=2026-02-30&end_date=2026-03-01', 'start_date must be a calendar date YYYY-MM-DD'],
    ['/api/v1/analytics/dau?end_date=2026-03-01', 'start_date is required (YYYY-MM-DD)'],
    [
      '/api/v1/presence/online-history?from=2026-11-20T00:00:00Z&to=2026-11-25T00:00:00Z&interval=1m',
      'at most 1440 points per request, asked for 7200',
    ],
    ['/api/v1/presence/online-history?from=2026-11-25T00:00:00Z&to=2026-11-24T00:00:00Z&interval=1h', 'to must be after from'],
    [
      '/api/v1/presence/online-history?from=2026-11-24T00:00:00&to=2026-11-25T00:00:00Z&interval=1h',
      'from must be epoch milliseconds or ISO-8601 with an offset',
    ],
    ['/api/v1/presence/online-history?from=2026-11-24T00:00:00Z&to=2026-11-25T00:00:00Z&interval=2m', 'interval must be one of 1m, 5m, 1h'],
  ])('400 for %s', async (path, message) => {
    expect(await get(path)).toEqual({ status: 400, body: { code: 400, message } });
  });

  it('online now is computed once for readers arriving together, and kept up to 1 s whatever the invalidations', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // any answer kept by an earlier test has expired
    const gen = cacheKeys(p.cachePrefix).appGen('online-count');
    const query = jest.spyOn(p.db.pool, 'query');
    const counted = () => query.mock.calls.filter(([sql]) => String(sql).includes('presence_latest')).length;
    try {
      await p.redis.set(gen, String(Date.now())); // as the invalidator does after a chunk: Redis misses
      const answers = await Promise.all(Array.from({ length: 20 }, () => get('/api/v1/presence/online-count')));
      expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(new Set([JSON.stringify(answers[0])]));
      expect(answers[0]!.body.data!.count).toBe(2);
      expect(counted()).toBe(1);
      await p.redis.set(gen, String(Date.now() + 1));
      expect((await get('/api/v1/presence/online-count')).body.data!.count).toBe(2);
      expect(counted()).toBe(1);
    } finally {
      query.mockRestore();
    }
  });

  it('a signed-in heartbeat (POST) shows in the cached online count within 2 s', async () => {
    expect((await get('/api/v1/presence/online-count')).body.data!.count).toBe(2); // cached now
    const res = await fetch(`${server.base}/api/v1/presence/heartbeat`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ install_id: 'dev-z', app_version: '3.2.0' }),
    });
    expect([res.status, await res.json()]).toEqual([200, { code: 200, data: { accepted: true } }]);
    const started = Date.now();
    await waitFor('counted', async () => (await get('/api/v1/presence/online-count')).body.data!.count === 3, 5_000, 50);
    expect(Date.now() - started).toBeLessThan(2_000);
    const bad = await fetch(`${server.base}/api/v1/presence/heartbeat`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"install_id":',
    });
    expect(bad.status).toBe(400);
    const noToken = await fetch(`${server.base}/api/v1/presence/heartbeat`, { method: 'POST', body: '{"install_id":"x"}' });
    expect(noToken.status).toBe(401);
  });
});
