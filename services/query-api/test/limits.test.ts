import { request } from 'node:http';
import { createTestPipeline, waitFor, type TestPipeline } from '@fan/test-support';
import { handMadeToken, startQueryProcess } from './query-process';

const SECRET = 'limits-test-secret-of-at-least-32-bytes';
const nowS = () => Math.floor(Date.now() / 1000);
const token = (sub: string, life = 3600) => handMadeToken({ sub, exp: nowS() + life }, SECRET);

/** A raw SSE client: status, headers, everything written, and when the server ended the response. */
function openStream(base: string, auth: string) {
  let body = '';
  let endedAt: number | undefined;
  const req = request(`${base}/api/v1/dashboard/stream?star_id=7`, { headers: { authorization: `Bearer ${auth}` } });
  const answered = new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>((resolve) => {
    req.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => (endedAt = Date.now()));
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { answered, body: () => body, endedAt: () => endedAt, close: () => req.destroy() };
}

/** Per-user bounds of the query API process: change streams and signed-in heartbeats. */
describe('per-user limits of the query API', () => {
  let p: TestPipeline;
  let api: Awaited<ReturnType<typeof startQueryProcess>>;
  const heartbeat = (headers: Record<string, string>, body: string) =>
    fetch(`${api.base}/api/v1/presence/heartbeat`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  beforeAll(async () => {
    p = await createTestPipeline('limits', 1);
    api = await startQueryProcess(p, { JWT_SECRET: SECRET, QUERY_STREAM_MAX_PER_USER: '2', QUERY_STREAM_KEEPALIVE_MS: '1000' });
  }, 90_000);
  afterAll(async () => {
    await p.stop();
  });

  it('one user beyond QUERY_STREAM_MAX_PER_USER gets 429 while another user still gets a stream', async () => {
    const mine = [openStream(api.base, token('301')), openStream(api.base, token('301'))];
    expect((await Promise.all(mine.map((s) => s.answered))).map((a) => a.status)).toEqual([200, 200]);
    const third = openStream(api.base, token('301'));
    const refused = await third.answered;
    await waitFor('429 body', async () => third.endedAt() !== undefined, 5_000, 20);
    expect([refused.status, refused.headers['retry-after'], refused.headers['cache-control'], JSON.parse(third.body())]).toEqual([
      429,
      '10',
      'no-store',
      { code: 429, message: 'too many open streams for this user: close another dashboard tab or wait' },
    ]);
    const other = openStream(api.base, token('302'));
    const answered = await other.answered;
    expect([answered.status, answered.headers['cache-control'], answered.headers['x-content-type-options']]).toEqual([
      200,
      'no-store, no-transform',
      'nosniff',
    ]);
    expect(await api.metric('query_streams_open')).toBe(3);
    // A slot of the user frees when one of the user's streams closes.
    mine[0]!.close();
    await waitFor('a slot of 301 freed', async () => (await api.metric('query_streams_open')) === 2, 5_000, 50);
    const again = openStream(api.base, token('301'));
    expect((await again.answered).status).toBe(200);
    for (const s of [...mine, other, again]) s.close();
    await waitFor('all closed', async () => (await api.metric('query_streams_open')) === 0, 5_000, 50);
  });

  it("a 3 s token's stream ends at its expiry: `event: expired`, then the end, and the token is refused", async () => {
    const exp = nowS() + 3;
    const short = handMadeToken({ sub: '303', exp }, SECRET);
    const s = openStream(api.base, short);
    expect((await s.answered).status).toBe(200);
    await waitFor('ended', async () => s.endedAt() !== undefined, 8_000, 10);
    const late = s.endedAt()! - exp * 1000;
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(1000);
    expect(s.body().startsWith('retry: 2000\n\nevent: ready\ndata: {}\n\n')).toBe(true);
    expect(s.body().endsWith('event: expired\ndata: {"message":"token expired"}\n\n')).toBe(true);
    expect(await api.metric('query_streams_open')).toBe(0);
    expect(await api.metric('query_streams_expired_total')).toBe(1);
    const reconnect = openStream(api.base, short);
    expect((await reconnect.answered).status).toBe(401);
    await waitFor('401 body', async () => reconnect.endedAt() !== undefined, 5_000, 20);
    expect(JSON.parse(reconnect.body())).toEqual({ code: 401, message: 'token expired' });
  });

  it('a heartbeat without a token is 401 whatever its body (5 KB), before the body is read', async () => {
    const big = JSON.stringify({ install_id: 'dev-1', app_version: 'x'.repeat(5 * 1024) });
    const res = await heartbeat({}, big);
    expect([res.status, await res.json(), res.headers.get('cache-control')]).toEqual([
      401,
      { code: 401, message: 'missing bearer token' },
      'no-store',
    ]);
    const signed = await heartbeat({ authorization: `Bearer ${token('304')}` }, big);
    expect(signed.status).toBe(413);
  });

  it('a burst of 20 heartbeats from one token and install: exactly 1 accepted, 19 answered 429 with Retry-After, 1 Kafka event', async () => {
    const auth = { authorization: `Bearer ${token('305')}` };
    const body = JSON.stringify({ install_id: 'dev-burst', app_version: '3.2.0' });
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const res = await heartbeat(auth, body);
        return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as unknown };
      }),
    );
    const accepted = answers.filter((a) => a.status === 200);
    const limited = answers.filter((a) => a.status === 429);
    expect(accepted).toEqual([{ status: 200, retryAfter: null, body: { code: 200, data: { accepted: true } } }]);
    expect(limited).toHaveLength(19);
    for (const l of limited) {
      expect(l.body).toEqual({ code: 429, message: 'too many heartbeats: at most one per install every 10 s' });
      expect(Number(l.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(l.retryAfter)).toBeLessThanOrEqual(10);
    }
    // Another install of the same user (a second device) is its own heartbeat.
    expect((await heartbeat(auth, JSON.stringify({ install_id: 'dev-burst-2' }))).status).toBe(200);
    expect(await api.metric('query_heartbeats_limited_total')).toBe(19);
    const offsets = await p.topics.admin.fetchTopicOffsets(p.topics.topics.activity);
    expect(offsets.reduce((n, o) => n + Number(o.high), 0)).toBe(2);
  });

  it('one token inventing install ids gets at most 4 installs per interval through', async () => {
    const auth = { authorization: `Bearer ${token('306')}` };
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await heartbeat(auth, JSON.stringify({ install_id: `dev-${i}` }))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429, 429, 429, 429, 429]);
  });
});
