import express, { type Request, type Response } from 'express';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { dependencyGauge, runChecks, type HealthCheck } from '@fan/observability';
import { createAuthenticator } from './auth';
import type { AnswerCache } from './cache';
import type { DauAnswer } from './activity/queries';
import { createChangeHub, type ChangeHub } from './change-hub';
import { fail, type RouteContext } from './http';
import { mountAppReads } from './routes/app-reads';
import { mountChangeStream } from './routes/change-stream';
import { mountDashboardReads } from './routes/dashboard-reads';
import { mountHeartbeat } from './routes/heartbeat';
import { mountPage } from './routes/page';

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

/**
 * The query service: one token check and one cache counter shared by its routes, each job in a
 * file of its own under routes/ (the seven reads, the app-wide reads, the change stream, the
 * heartbeat write path, the page), then health, metrics, 404 and the error handler.
 */
export function createQueryApp(p: QueryAppParts): express.Express {
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
  const ctx: RouteContext = { authenticate, cacheResults };

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
  mountPage(app, p.pageDir);
  mountChangeStream(app, ctx, p.changes ?? createChangeHub({ maxStreams: 1000, keepAliveMs: 15_000, metrics: p.metrics }));
  mountAppReads(app, ctx, p);
  mountHeartbeat(app, ctx, p);
  mountDashboardReads(app, ctx, p);
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
