import jwt from 'jsonwebtoken';
import { createTestPipeline, type TestPipeline } from '@fan/test-support';
import { handMadeToken, startQueryProcess } from './query-process';

const SECRET = 'tokens-test-secret-of-at-least-32-bytes';
const MAX_AGE = 3600; // JWT_MAX_AGE_SECONDS of this process
const DAY = 86_400;
const EMPTY = { code: 200, data: { crystal_balance: 0, today_income: 0, week_rank: 0, week_total_users: 0 } };
const nowS = () => Math.floor(Date.now() / 1000);

type Mint = (payload: Record<string, unknown>) => string;
const MINTS: [string, Mint][] = [
  ['jsonwebtoken', (payload) => jwt.sign(payload, SECRET, { algorithm: 'HS256', noTimestamp: !('iat' in payload) })],
  ['node:crypto', (payload) => handMadeToken(payload, SECRET)],
];

/** CONTRACT §3: tokens honoured as the app's identity service issues them, on the real query API process. */
describe('dashboard tokens as identity services issue them', () => {
  let p: TestPipeline;
  let api: Awaited<ReturnType<typeof startQueryProcess>>;
  const read = async (authorization?: string) => {
    const res = await fetch(`${api.base}/api/v1/dashboard/today-overview?star_id=7`, {
      headers: authorization === undefined ? {} : { authorization },
    });
    return { status: res.status, body: (await res.json()) as unknown, headers: res.headers };
  };

  beforeAll(async () => {
    p = await createTestPipeline('tokens', 1);
    api = await startQueryProcess(p, {
      JWT_SECRET: SECRET,
      JWT_MAX_AGE_SECONDS: String(MAX_AGE),
      QUERY_TOKEN_CACHE_BYTES: String(1 << 20),
    });
  }, 90_000);
  afterAll(async () => {
    await p.stop();
  });

  describe.each(MINTS)('minted with %s', (_how, mint) => {
    it('exp only: 200', async () => {
      expect(await read(`Bearer ${mint({ sub: '101', exp: nowS() + 3600 })}`)).toMatchObject({ status: 200, body: EMPTY });
    });
    it('iat + exp, a 7-day token issued 2 days ago: 200 (JWT_MAX_AGE_SECONDS does not apply)', async () => {
      const iat = nowS() - 2 * DAY;
      expect(await read(`Bearer ${mint({ sub: '102', iat, exp: iat + 7 * DAY })}`)).toMatchObject({ status: 200, body: EMPTY });
    });
    it('the same 7-day token issued 8 days ago: 401 token expired', async () => {
      const iat = nowS() - 8 * DAY;
      expect(await read(`Bearer ${mint({ sub: '102', iat, exp: iat + 7 * DAY })}`)).toMatchObject({
        status: 401,
        body: { code: 401, message: 'token expired' },
      });
    });
    it('iat only, fresh: 200; older than JWT_MAX_AGE_SECONDS: 401', async () => {
      expect(await read(`Bearer ${mint({ sub: '103', iat: nowS() - 60 })}`)).toMatchObject({ status: 200, body: EMPTY });
      expect(await read(`Bearer ${mint({ sub: '103', iat: nowS() - MAX_AGE - 1 })}`)).toMatchObject({
        status: 401,
        body: { code: 401, message: 'token expired: issued more than 3600 s ago and has no exp' },
      });
    });
    it('neither exp nor iat: 401', async () => {
      expect(await read(`Bearer ${mint({ sub: '104' })}`)).toMatchObject({
        status: 401,
        body: { code: 401, message: 'invalid token: exp (expiry) or iat (issued at) is required' },
      });
    });
    it('nbf in the future: 401', async () => {
      const nbf = nowS() + 600;
      expect(await read(`Bearer ${mint({ sub: '105', exp: nbf + 3600, nbf })}`)).toMatchObject({
        status: 401,
        body: { code: 401, message: `token not valid yet: nbf is ${new Date(nbf * 1000).toISOString()}` },
      });
    });
    it('scheme `bearer` in lower case: 200', async () => {
      expect(await read(`bearer ${mint({ sub: '106', exp: nowS() + 3600 })}`)).toMatchObject({ status: 200, body: EMPTY });
    });
  });

  it.each([
    [
      'alg none, no signature',
      `${handMadeToken({ sub: '5', exp: nowS() + 60 }, SECRET, { alg: 'none' }).replace(/[^.]+$/, '')}`,
      'invalid token: not a JWT (header.payload.signature in base64url)',
    ],
    [
      'alg none, signed anyway',
      handMadeToken({ sub: '5', exp: nowS() + 60 }, SECRET, { alg: 'none' }),
      'invalid token: alg must be HS256 (got "none")',
    ],
    [
      'alg RS256',
      handMadeToken({ sub: '5', exp: nowS() + 60 }, SECRET, { alg: 'RS256' }),
      'invalid token: alg must be HS256 (got "RS256")',
    ],
    [
      'wrong secret (jsonwebtoken)',
      jwt.sign({ sub: '5' }, 'another-secret', { algorithm: 'HS256', expiresIn: '1h' }),
      'invalid token: invalid signature',
    ],
    ['wrong secret (node:crypto)', handMadeToken({ sub: '5', exp: nowS() + 60 }, 'another-secret'), 'invalid token: invalid signature'],
  ])('%s: 401', async (_what, token, message) => {
    expect(await read(`Bearer ${token}`)).toMatchObject({ status: 401, body: { code: 401, message } });
  });

  it('exact headers: a read, a 401, a 404, /healthz, the page and an asset', async () => {
    const pick = (h: Headers) => ({
      'cache-control': h.get('cache-control'),
      'x-content-type-options': h.get('x-content-type-options'),
      'content-type': h.get('content-type'),
    });
    const json = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-type': 'application/json; charset=utf-8' };
    const ok = await read(`Bearer ${handMadeToken({ sub: '201', exp: nowS() + 60 }, SECRET)}`);
    expect([ok.status, pick(ok.headers)]).toEqual([200, json]);
    const refused = await read();
    expect([refused.status, refused.body, pick(refused.headers)]).toEqual([401, { code: 401, message: 'missing bearer token' }, json]);
    const missing = await fetch(`${api.base}/api/v1/nothing`);
    expect([missing.status, await missing.json(), pick(missing.headers)]).toEqual([404, { code: 404, message: 'unknown route' }, json]);
    const health = await fetch(`${api.base}/healthz`);
    expect([health.status, pick(health.headers)]).toEqual([200, json]);
    const page = await fetch(`${api.base}/`);
    const html = await page.text();
    expect([page.status, pick(page.headers)]).toEqual([
      200,
      { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'content-type': 'text/html; charset=UTF-8' },
    ]);
    const asset = /\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${api.base}/${asset}`);
    expect([js.status, pick(js.headers)]).toEqual([
      200,
      {
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        'content-type': 'application/javascript; charset=UTF-8',
      },
    ]);
    const metrics = await fetch(`${api.base}/metrics`);
    await metrics.text();
    expect(metrics.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('remembered tokens stay within QUERY_TOKEN_CACHE_BYTES, and 10,000 distinct 15 KB tokens do not grow the heap', async () => {
    const heapBefore = await api.metric('nodejs_heap_size_used_bytes');
    const rssBefore = await api.metric('process_resident_memory_bytes');
    const run = async (count: number, filler: string) => {
      let next = 0;
      const statuses = new Map<number, number>();
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < count) {
            const i = next++;
            const res = await fetch(`${api.base}/api/v1/dashboard/today-overview?star_id=7`, {
              headers: { authorization: `Bearer ${handMadeToken({ sub: String(1_000_000 + i), exp: nowS() + 3600, filler }, SECRET)}` },
            });
            await res.arrayBuffer();
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          }
        }),
      );
      return Object.fromEntries(statuses);
    };
    // ~3.4 KB tokens are remembered (up to 4 KiB): 2,000 of them are ~7 MB, seven times the 1 MiB budget of this process.
    expect(await run(2_000, 'x'.repeat(2_500))).toEqual({ 200: 2_000 });
    const cached = await api.metric('query_token_cache_bytes');
    expect(cached).toBeGreaterThan((1 << 20) - 4_000);
    expect(cached).toBeLessThanOrEqual(1 << 20);
    const started = Date.now();
    // A filler of 11,000 characters makes a token of ~14.8 KB, within node's 16 KB of headers.
    expect(await run(10_000, 'x'.repeat(11_000))).toEqual({ 200: 10_000 });
    const seconds = (Date.now() - started) / 1000;
    const heapAfter = await api.metric('nodejs_heap_size_used_bytes');
    const rssAfter = await api.metric('process_resident_memory_bytes');
    expect(await api.metric('query_token_cache_bytes')).toBe(cached); // none of the 15 KB tokens kept
    // 10,000 x 15 KB kept would be 150 MB; what is left is garbage not yet collected.
    expect(heapAfter - heapBefore).toBeLessThan(48 * 1024 * 1024);
    console.log(
      JSON.stringify({
        seconds,
        heapBeforeMB: +(heapBefore / 2 ** 20).toFixed(1),
        heapAfterMB: +(heapAfter / 2 ** 20).toFixed(1),
        rssBeforeMB: +(rssBefore / 2 ** 20).toFixed(1),
        rssAfterMB: +(rssAfter / 2 ** 20).toFixed(1),
        cachedBytes: cached,
      }),
    );
  }, 180_000);
});
