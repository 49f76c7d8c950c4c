import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request, type Response } from 'express';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { READS, weekStart, type AppRead, type ReadName } from '@fan/read-contract';
import { addDays, businessDate, parsePositiveId } from '@fan/events';
import { dependencyGauge, runChecks, type HealthCheck } from '@fan/observability';
import { answerJson } from './answer-json';
import { createAuthenticator } from './auth';
import { createHeartbeatLimit } from './heartbeat-limit';
import type { AnswerCache } from './cache';
import { dauRange, historyPoints, WINDOW_SECONDS, type Parsed } from './activity/params';
import { dau, onlineAt, onlineNow, type DauAnswer } from './activity/queries';
import { createChangeHub, type ChangeHub } from './change-hub';
import { OPENAPI } from './openapi';
import { READ_HANDLERS } from './reads';

export interface QueryAppParts {
  db: Pool;
  cache: AnswerCache;
  jwtSecret: string;
  /** Life of a token without exp after its iat (default 24 h). */
  jwtMaxAgeSeconds?: number;
  /** Bytes of verified tokens remembered (QUERY_TOKEN_CACHE_BYTES, default 8 MiB). */
  tokenCacheBytes?: number;
  /** One signed-in heartbeat per (user, install) per this many seconds (default 10). */
  heartbeatMinIntervalSeconds?: number;
  tz: string;
  /** "Now" in epoch ms; pinned by CLOCK_NOW, replaceable in tests. */
  clock: () => number;
  logger: Logger;
  metrics: Registry;
  health: Record<string, HealthCheck>;
  /** Open change streams; one with defaults (1,000 streams, 8 per user, 15 s keep-alives) when absent. */
  changes?: ChangeHub;
  /** The built dashboard page (services/dashboard-web/dist), served at /. */
  pageDir?: string;
  /** Daily active identities (PRESENCE_DAU_MODE): exact from Postgres unless given (HyperLogLog). */
  dau?: (days: string[]) => Promise<DauAnswer>;
  /** Publishes a heartbeat of a signed-in app (POST /api/v1/presence/heartbeat); 503 when absent. */
  publishHeartbeat?: (h: { installId: string; user: bigint; appVersion: string | null; at: number }) => Promise<void>;
}

// The page loads only its own scripts and styles; thumbs may come from any https CDN.
const PAGE_CSP =
  "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'";

// Answers are per user, or errors of a moment: never stored by a browser or proxy.
const fail = (res: Response, status: number, message: string) =>
  res.status(status).set('cache-control', 'no-store').json({ code: status, message });

/** A user's installs heartbeat to at most this many at once (one per device). */
const HEARTBEAT_INSTALLS_PER_USER = 4;
/** Users whose latest heartbeats are remembered at once (~200 B each). */
const HEARTBEAT_USERS_MAX = 100_000;
const HEARTBEAT_ACCEPTED = JSON.stringify({ code: 200, data: { accepted: true } });

/**
 * A 200 with a JSON body already serialised (a cached answer), written straight to node's
 * response: the same headers as express's res.send (no ETag: etag is off), without its content
 * negotiation and header parsing on the hottest path. Node drops the body of a HEAD request.
 */
function sendJson(res: Response, body: string): void {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/**
 * The seven dashboard reads (CONTRACT §3): token → user, star_id → star, business calendar at
 * "now" → cache lookup → on a miss the read's SQL, then the answer is cached under the
 * generations it was computed with.
 */
export function createQueryApp(p: QueryAppParts): express.Express {
  const latency = new Histogram({
    name: 'query_read_seconds',
    help: 'Dashboard read latency',
    labelNames: ['read', 'cache'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [p.metrics],
  });
  const cacheResults = new Counter({
    name: 'query_cache_total',
    help: 'Cache lookups by result',
    labelNames: ['read', 'result'] as const,
    registers: [p.metrics],
  });
  const errors = new Counter({
    name: 'query_errors_total',
    help: 'Answers with status >= 400',
    labelNames: ['status'] as const,
    registers: [p.metrics],
  });

  // Tokens live on the real clock: CLOCK_NOW pins the dashboard's "now", not their lifetimes.
  const authenticate = createAuthenticator(p.jwtSecret, {
    ...(p.jwtMaxAgeSeconds !== undefined ? { maxAgeSeconds: p.jwtMaxAgeSeconds } : {}),
    ...(p.tokenCacheBytes !== undefined ? { cacheBytes: p.tokenCacheBytes } : {}),
  });
  new Gauge({
    name: 'query_token_cache_bytes',
    help: 'Verified tokens remembered: their characters plus a fixed overhead each (bounded by QUERY_TOKEN_CACHE_BYTES)',
    registers: [p.metrics],
    collect() {
      this.set(authenticate.cachedBytes());
    },
  });
  const heartbeatLimit = createHeartbeatLimit({
    intervalMs: (p.heartbeatMinIntervalSeconds ?? 10) * 1000,
    installsPerUser: HEARTBEAT_INSTALLS_PER_USER,
    maxUsers: HEARTBEAT_USERS_MAX,
    now: () => performance.now(),
  });
  const heartbeatsRefused = new Counter({
    name: 'query_heartbeats_limited_total',
    help: 'Signed-in heartbeats answered 429: the same install again within the interval, or too many installs of one user',
    registers: [p.metrics],
  });

  // The business date and week of "now", worked out once per second instead of per request
  // (Intl formatting was ~4% of the service's CPU at 2,000 reads/s). Exact: every zone's midnight
  // falls on a whole second.
  let cal = { second: NaN, today: '', week: '' };
  const calendar = (now: number): { today: string; week: string } => {
    const second = Math.floor(now / 1000);
    if (second !== cal.second) {
      const today = businessDate(now, p.tz);
      cal = { second, today, week: weekStart(today) };
    }
    return cal;
  };

  async function answer(read: ReadName, req: Request, res: Response): Promise<void> {
    const auth = authenticate(req.headers.authorization);
    if (!auth.ok) return void fail(res, 401, auth.message);
    const raw = req.query.star_id;
    if (raw === undefined) return void fail(res, 400, 'star_id is required');
    const star = parsePositiveId(raw);
    if (star === undefined) return void fail(res, 400, 'star_id must be a positive 64-bit decimal integer');

    const started = process.hrtime.bigint();
    const { today, week } = calendar(p.clock());
    const starId = star.toString();
    const userId = auth.user.toString();
    const lookup = await p.cache.lookup(read, starId, userId, today, week);
    let body = lookup.hit;
    cacheResults.inc({ read, result: body !== undefined ? 'hit' : lookup.store ? 'miss' : 'error' });
    if (body === undefined) {
      const last7 = Array.from({ length: 7 }, (_, i) => addDays(today, i - 6));
      let data: Record<string, unknown>;
      try {
        data = await READ_HANDLERS[read]({ db: p.db, star, user: auth.user, today, week, last7 });
      } catch (err) {
        p.logger.error({ read, err }, 'read failed');
        return void fail(res, 503, 'dashboard storage is unavailable, try again shortly');
      }
      body = answerJson({ code: 200, data });
      lookup.store?.(body);
    }
    sendJson(res, body);
    latency.observe({ read, cache: lookup.hit !== undefined ? 'hit' : 'miss' }, Number(process.hrtime.bigint() - started) / 1e9);
  }

  const changes = p.changes ?? createChangeHub({ maxStreams: 1000, keepAliveMs: 15_000, metrics: p.metrics });

  /** The change stream of the page: which reads of (token user, star) changed, as server-sent events. */
  function stream(req: Request, res: Response): void {
    const auth = authenticate(req.headers.authorization);
    if (!auth.ok) return void fail(res, 401, auth.message);
    const star = parsePositiveId(req.query.star_id);
    if (star === undefined)
      return void fail(
        res,
        400,
        req.query.star_id === undefined ? 'star_id is required' : 'star_id must be a positive 64-bit decimal integer',
      );
    const attached = changes.attach(res, star.toString(), auth.user.toString(), auth.expiresAt, (cb) => req.on('close', cb));
    if (attached === 'instance-full') fail(res, 503, 'too many open streams on this instance, try again shortly');
    else if (attached === 'user-full') {
      // Slots free when the user's other pages close; the page backs off on its own as well.
      res.set('retry-after', '10');
      fail(res, 429, 'too many open streams for this user: close another dashboard tab or wait');
    }
  }

  /** The app-wide reads: JWT, parameters (400 with why), then cache → Postgres, like the seven. */
  async function appRead(
    read: AppRead,
    params: Parsed<string>,
    compute: () => Promise<Record<string, unknown>>,
    req: Request,
    res: Response,
  ): Promise<void> {
    const auth = authenticate(req.headers.authorization);
    if (!auth.ok) return void fail(res, 401, auth.message);
    if (!params.ok) return void fail(res, 400, params.message);
    const lookup = await p.cache.lookupApp(read, params.value);
    cacheResults.inc({ read, result: lookup.hit !== undefined ? 'hit' : lookup.store ? 'miss' : 'error' });
    let body = lookup.hit;
    if (body === undefined) {
      try {
        body = JSON.stringify({ code: 200, data: await compute() });
      } catch (err) {
        p.logger.error({ read, err }, 'read failed');
        return void fail(res, 503, 'dashboard storage is unavailable, try again shortly');
      }
      lookup.store?.(body);
    }
    sendJson(res, body);
  }
  const keyOf = (v: unknown[]): Parsed<string> => ({ ok: true, value: v.join('|') });

  dependencyGauge(p.health, p.metrics);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use((_req, res, next) => {
    // Every answer, the page and its assets included: a browser never guesses another type.
    res.setHeader('x-content-type-options', 'nosniff');
    res.on('finish', () => res.statusCode >= 400 && errors.inc({ status: String(res.statusCode) }));
    next();
  });
  app.get('/healthz', async (_req, res) => {
    const r = await runChecks(p.health);
    res
      .status(r.status === 'ok' ? 200 : 503)
      .set('cache-control', 'no-store')
      .json(r);
  });
  app.get('/metrics', async (_req, res) => {
    res
      .type(p.metrics.contentType)
      .set('cache-control', 'no-store')
      .send(await p.metrics.metrics());
  });
  app.get('/openapi.json', (_req, res) => void res.json(OPENAPI));
  const index = p.pageDir ? join(p.pageDir, 'index.html') : undefined;
  app.get('/', (_req, res) => {
    if (!index || !existsSync(index)) return void fail(res, 503, 'the dashboard page is not built: run `npm run build`');
    res.set({ 'content-security-policy': PAGE_CSP, 'cache-control': 'no-cache', 'referrer-policy': 'no-referrer' }).sendFile(index);
  });
  // Vite names every asset by its content hash: cached for good.
  if (p.pageDir)
    app.use('/assets', express.static(join(p.pageDir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: true }));
  app.get('/api/v1/dashboard/stream', stream);

  app.get('/api/v1/analytics/dau', (req, res, next) => {
    const days = dauRange(req.query);
    // Today's counts move: the business date is part of the key, like the seven reads.
    const params = days.ok ? keyOf([days.value[0], days.value[days.value.length - 1], businessDate(p.clock(), p.tz)]) : days;
    appRead('dau', params, () => (p.dau ?? ((d: string[]) => dau(p.db, d)))((days as { value: string[] }).value), req, res).catch(next);
  });
  // Online now, computed at most once per second per instance whatever the invalidations: every
  // chunk of heartbeats bumps the read's generation, and the readers that missed together then
  // all recomputed it over every identity at once (p99 504 ms in bench:presence). An answer for
  // "now" second S is shared by every request until "now" leaves S or it is 1 s old (real time,
  // which also bounds it when CLOCK_NOW pins "now"), so a count lags its events by at most 1 s
  // more than the pipeline does; a failed computation is not kept.
  let online: { second: number; at: number; body: Promise<string> } | undefined;
  const onlineCount = (second: number): Promise<string> => {
    const at = performance.now();
    if (online && online.second === second && at - online.at < 1000) {
      cacheResults.inc({ read: 'online-count', result: 'hit' });
      return online.body;
    }
    const body = (async () => {
      const lookup = await p.cache.lookupApp('online-count', String(second));
      cacheResults.inc({ read: 'online-count', result: lookup.hit !== undefined ? 'hit' : lookup.store ? 'miss' : 'error' });
      if (lookup.hit !== undefined) return lookup.hit;
      const count = await onlineNow(p.db, second);
      const json = JSON.stringify({
        code: 200,
        data: { count, window_seconds: WINDOW_SECONDS, queried_at: new Date(second).toISOString() },
      });
      lookup.store?.(json);
      return json;
    })();
    const entry = { second, at, body };
    online = entry;
    body.catch(() => {
      if (online === entry) online = undefined;
    });
    return body;
  };
  app.get('/api/v1/presence/online-count', (req, res) => {
    const auth = authenticate(req.headers.authorization);
    if (!auth.ok) return void fail(res, 401, auth.message);
    // "Now" to the second: the window slides with the clock, not only with events.
    onlineCount(Math.floor(p.clock() / 1000) * 1000).then(
      (body) => void sendJson(res, body),
      (err: unknown) => {
        p.logger.error({ read: 'online-count', err }, 'read failed');
        fail(res, 503, 'dashboard storage is unavailable, try again shortly');
      },
    );
  });
  app.get('/api/v1/presence/online-history', (req, res, next) => {
    const points = historyPoints(req.query);
    const params = points.ok ? keyOf([String(req.query.interval), points.value[0] ?? 0, points.value.length]) : points;
    appRead(
      'online-history',
      params,
      async () => {
        const instants = (points as { value: number[] }).value;
        const counts = await onlineAt(p.db, instants);
        return { points: instants.map((at, i) => ({ at: new Date(at).toISOString(), count: counts[i] })) };
      },
      req,
      res,
    ).catch(next);
  });
  // The token first: a request without one is 401 whatever its body, and its body is never read.
  const heartbeatBody = express.json({ limit: '4kb', strict: false, type: () => true });
  app.post(
    '/api/v1/presence/heartbeat',
    (req, res, next) => {
      const auth = authenticate(req.headers.authorization);
      if (!auth.ok) return void fail(res, 401, auth.message);
      (res.locals as { user: bigint }).user = auth.user;
      next();
    },
    heartbeatBody,
    (req, res, next) => {
      const user = (res.locals as { user: bigint }).user;
      const body = (req.body ?? {}) as { install_id?: unknown; app_version?: unknown };
      const id = body.install_id;
      if (typeof id !== 'string' || id.length < 1 || id.length > 64 || id.includes('\u0000'))
        return void fail(res, 400, 'install_id must be a string of 1-64 characters');
      const v = body.app_version;
      if (v !== undefined && v !== null && (typeof v !== 'string' || v.length > 64 || v.includes('\u0000')))
        return void fail(res, 400, 'app_version must be a string of at most 64 characters');
      if (!p.publishHeartbeat) return void fail(res, 503, 'heartbeats are not accepted by this instance');
      const userId = user.toString();
      const verdict = heartbeatLimit.take(userId, id);
      if (!verdict.ok) {
        heartbeatsRefused.inc();
        res.set('retry-after', String(verdict.retryAfterSeconds));
        return void fail(res, 429, `too many heartbeats: at most one per install every ${p.heartbeatMinIntervalSeconds ?? 10} s`);
      }
      p.publishHeartbeat({ installId: id, user, appVersion: typeof v === 'string' ? v : null, at: p.clock() })
        .then(
          () => void sendJson(res, HEARTBEAT_ACCEPTED),
          (err: unknown) => {
            heartbeatLimit.release(userId, id);
            p.logger.error({ err }, 'heartbeat not published');
            fail(res, 503, 'heartbeat not accepted, try again shortly');
          },
        )
        .catch(next);
    },
  );
  for (const read of READS) {
    app.get(`/api/v1/dashboard/${read}`, (req, res, next) => {
      answer(read, req, res).catch(next);
    });
  }
  app.use((_req, res) => fail(res, 404, 'unknown route'));
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: express.NextFunction) => {
    // A body the client got wrong (not JSON, too large) is the client's mistake, never a 500.
    if (typeof err.status === 'number' && err.status >= 400 && err.status < 500)
      return void fail(res, err.status, err.type === 'entity.parse.failed' ? 'body is not valid JSON' : err.message);
    p.logger.error({ err }, 'request failed');
    fail(res, 500, 'internal error');
  });
  return app;
}
