import type express from 'express';
import type { Request, Response } from 'express';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { AppRead } from '@fan/read-contract';
import { businessDate } from '@fan/events';
import type { AnswerCache } from '../cache';
import { dauRange, historyPoints, WINDOW_SECONDS, type Parsed } from '../activity/params';
import { dau, onlineAt, onlineNow, type DauAnswer } from '../activity/queries';
import { countLookup, fail, sendJson, signedIn, STORAGE_UNAVAILABLE, type RouteContext } from '../http';

export interface AppReadParts {
  db: Pool;
  cache: AnswerCache;
  tz: string;
  clock: () => number;
  logger: Logger;
  /** Daily active identities (PRESENCE_DAU_MODE): exact from Postgres unless given (HyperLogLog). */
  dau?: (days: string[]) => Promise<DauAnswer>;
}

/** The app-wide reads of CONTRACT §5 (daily actives, online now, online history): JWT, parameters (400 with why), then cache → Postgres. */
export function mountAppReads(app: express.Express, ctx: RouteContext, p: AppReadParts): void {
  async function appRead(
    read: AppRead,
    params: Parsed<string>,
    compute: () => Promise<Record<string, unknown>>,
    req: Request,
    res: Response,
  ): Promise<void> {
    if (!signedIn(ctx, req, res)) return;
    if (!params.ok) return void fail(res, 400, params.message);
    const lookup = await p.cache.lookupApp(read, params.value);
    countLookup(ctx, read, lookup);
    let body = lookup.hit;
    if (body === undefined) {
      try {
        body = JSON.stringify({ code: 200, data: await compute() });
      } catch (err) {
        p.logger.error({ read, err }, 'read failed');
        return void fail(res, 503, STORAGE_UNAVAILABLE);
      }
      lookup.store?.(body);
    }
    sendJson(res, body);
  }
  const keyOf = (v: unknown[]): Parsed<string> => ({ ok: true, value: v.join('|') });

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
      ctx.cacheResults.inc({ read: 'online-count', result: 'hit' });
      return online.body;
    }
    const body = (async () => {
      const lookup = await p.cache.lookupApp('online-count', String(second));
      countLookup(ctx, 'online-count', lookup);
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
    if (!signedIn(ctx, req, res)) return;
    // "Now" to the second: the window slides with the clock, not only with events.
    onlineCount(Math.floor(p.clock() / 1000) * 1000).then(
      (body) => void sendJson(res, body),
      (err: unknown) => {
        p.logger.error({ read: 'online-count', err }, 'read failed');
        fail(res, 503, STORAGE_UNAVAILABLE);
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
}
