import { request } from 'node:http';
import jwt from 'jsonwebtoken';
import { validateEvent, type DashboardEvent } from '@fan/events';
import { createTestPipeline, waitFor, type TestPipeline } from '@fan/test-support';
import { startPageServer, type PageServer } from './page-server';

const SECRET = 'stream-test-secret';
const token = (sub: string) => jwt.sign({ sub }, SECRET, { algorithm: 'HS256', expiresIn: '1h' });

/** A raw SSE client: everything the server wrote, and a way to hang up. */
function openStream(base: string, path: string, auth?: string) {
  let body = '';
  let status = 0;
  const req = request(`${base}${path}`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });
  const answered = new Promise<number>((resolve) => {
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      resolve(status);
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { answered, body: () => body, close: () => req.destroy() };
}

function change(id: string, user: string, amount: number): DashboardEvent {
  const v = validateEvent({
    event_id: id,
    event_type: 'crystal.change',
    user_id: user,
    star_id: '7',
    occurred_at: Date.now() - 60_000,
    properties: { amount, balance_after: amount, reason: 'like' },
  });
  if (!v.ok) throw new Error(v.reason);
  return v.event;
}

describe('change stream (server-sent events) on the real pipeline', () => {
  let p: TestPipeline;
  let server: PageServer;
  beforeAll(async () => {
    p = await createTestPipeline('stream', 3);
    for (const s of ['income-aggregator', 'cache-invalidator']) p.start(s);
    server = await startPageServer(p, { jwtSecret: SECRET, now: Date.now, maxStreams: 3, keepAliveMs: 1000 });
  });
  afterAll(async () => {
    await server.close();
    await p.stop();
  });

  it('refuses a missing token (401) and a bad star (400) without opening a stream', async () => {
    const a = openStream(server.base, '/api/v1/dashboard/stream?star_id=7');
    expect(await a.answered).toBe(401);
    const b = openStream(server.base, '/api/v1/dashboard/stream?star_id=x', token('1'));
    expect(await b.answered).toBe(400);
    expect(server.changes.open).toBe(0);
  });

  it("tells each page exactly which of its reads changed, after they were invalidated, and only that user's", async () => {
    const mine = openStream(server.base, '/api/v1/dashboard/stream?star_id=7', token('1001'));
    const other = openStream(server.base, '/api/v1/dashboard/stream?star_id=7', token('1002'));
    expect([await mine.answered, await other.answered]).toEqual([200, 200]);
    await waitFor('ready', async () => mine.body().includes('event: ready') && other.body().includes('event: ready'), 5_000, 20);
    await p.publisher.publish([change('s-1', '1001', 30)]);
    const got = await waitFor('changed event', async () => /event: changed\ndata: (.*)\n\n/.exec(mine.body())?.[1], 15_000, 20);
    const reads = (JSON.parse(got) as { reads: string[] }).reads;
    // today-overview and income-curve of 1001; 1001's first income this week also changes every
    // today-overview of the star-week (week_total_users), so 1002 is told too — but only that read.
    expect(reads.sort()).toEqual(['income-curve', 'today-overview']);
    const otherGot = await waitFor(
      'the other user told of the star-week',
      async () => /event: changed\ndata: (.*)\n\n/.exec(other.body())?.[1],
      5_000,
      20,
    );
    expect(JSON.parse(otherGot)).toEqual({ reads: ['today-overview'] });
    // Keep-alives every second keep idle streams open through proxies.
    await waitFor('keep-alive', async () => mine.body().includes(': keep-alive\n\n'), 5_000, 50);
    expect(await server.metrics.getSingleMetricAsString('query_streams_open')).toMatch(/query_streams_open 2$/m);
    mine.close();
    other.close();
    await waitFor('streams cleaned up on disconnect', async () => server.changes.open === 0, 5_000, 20);
    expect(await server.metrics.getSingleMetricAsString('query_streams_open')).toMatch(/query_streams_open 0$/m);
  });

  it('is bounded: beyond QUERY_STREAM_MAX a new stream gets 503 and a slot frees when one closes', async () => {
    const open = [1, 2, 3].map(() => openStream(server.base, '/api/v1/dashboard/stream?star_id=7', token('1003')));
    expect(await Promise.all(open.map((s) => s.answered))).toEqual([200, 200, 200]);
    const fourth = openStream(server.base, '/api/v1/dashboard/stream?star_id=7', token('1003'));
    expect(await fourth.answered).toBe(503);
    expect(fourth.body()).toContain('too many open streams');
    open[0]!.close();
    await waitFor('a slot freed', async () => server.changes.open === 2, 5_000, 20);
    const fifth = openStream(server.base, '/api/v1/dashboard/stream?star_id=7', token('1003'));
    expect(await fifth.answered).toBe(200);
    for (const s of [...open, fifth]) s.close();
    await waitFor('all closed', async () => server.changes.open === 0, 5_000, 20);
  });
});
