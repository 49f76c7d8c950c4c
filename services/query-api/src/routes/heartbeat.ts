import express from 'express';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { createHeartbeatLimit } from '../heartbeat-limit';
import { fail, sendJson, signedIn, type RouteContext } from '../http';

export interface HeartbeatParts {
  /** One signed-in heartbeat per (user, install) per this many seconds (default 10). */
  heartbeatMinIntervalSeconds?: number;
  /** Publishes a heartbeat of a signed-in app; 503 when absent. */
  publishHeartbeat?: (h: { installId: string; user: bigint; appVersion: string | null; at: number }) => Promise<void>;
  clock: () => number;
  logger: Logger;
  metrics: Registry;
}

/** A user's installs heartbeat to at most this many at once (one per device). */
const HEARTBEAT_INSTALLS_PER_USER = 4;
/** Users whose latest heartbeats are remembered at once (~200 B each). */
const HEARTBEAT_USERS_MAX = 100_000;
const HEARTBEAT_ACCEPTED = JSON.stringify({ code: 200, data: { accepted: true } });

/** The heartbeat write path (POST /api/v1/presence/heartbeat): token, body, rate limit, publish. */
export function mountHeartbeat(app: express.Express, ctx: RouteContext, p: HeartbeatParts): void {
  const intervalSeconds = p.heartbeatMinIntervalSeconds ?? 10;
  const limit = createHeartbeatLimit({
    intervalMs: intervalSeconds * 1000,
    installsPerUser: HEARTBEAT_INSTALLS_PER_USER,
    maxUsers: HEARTBEAT_USERS_MAX,
    now: () => performance.now(),
  });
  const refused = new Counter({
    name: 'query_heartbeats_limited_total',
    help: 'Signed-in heartbeats answered 429: the same install again within the interval, or too many installs of one user',
    registers: [p.metrics],
  });
  // The token first: a request without one is 401 whatever its body, and its body is never read.
  const body = express.json({ limit: '4kb', strict: false, type: () => true });
  app.post(
    '/api/v1/presence/heartbeat',
    (req, res, next) => {
      const auth = signedIn(ctx, req, res);
      if (!auth) return;
      (res.locals as { user: bigint }).user = auth.user;
      next();
    },
    body,
    (req, res, next) => {
      const user = (res.locals as { user: bigint }).user;
      const b = (req.body ?? {}) as { install_id?: unknown; app_version?: unknown };
      const id = b.install_id;
      if (typeof id !== 'string' || id.length < 1 || id.length > 64 || id.includes('\u0000'))
        return void fail(res, 400, 'install_id must be a string of 1-64 characters');
      const v = b.app_version;
      if (v !== undefined && v !== null && (typeof v !== 'string' || v.length > 64 || v.includes('\u0000')))
        return void fail(res, 400, 'app_version must be a string of at most 64 characters');
      if (!p.publishHeartbeat) return void fail(res, 503, 'heartbeats are not accepted by this instance');
      const userId = user.toString();
      const verdict = limit.take(userId, id);
      if (!verdict.ok) {
        refused.inc();
        res.set('retry-after', String(verdict.retryAfterSeconds));
        return void fail(res, 429, `too many heartbeats: at most one per install every ${intervalSeconds} s`);
      }
      p.publishHeartbeat({ installId: id, user, appVersion: typeof v === 'string' ? v : null, at: p.clock() })
        .then(
          () => void sendJson(res, HEARTBEAT_ACCEPTED),
          (err: unknown) => {
            limit.release(userId, id);
            p.logger.error({ err }, 'heartbeat not published');
            fail(res, 503, 'heartbeat not accepted, try again shortly');
          },
        )
        .catch(next);
    },
  );
}
