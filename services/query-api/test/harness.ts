import jwt from 'jsonwebtoken';
import type { Pool } from 'pg';
import { validateEvent, type DashboardEvent } from '@fan/events';
import { cacheKeys } from '@fan/read-contract';
import { listen, silentLogger, freshMetrics, type TestPipeline } from '@fan/test-support';
import { createQueryApp } from '../src/app';
import { createAnswerCache } from '../src/cache';

export const JWT_SECRET = 'test-jwt-secret';
export const token = (sub: string, opts: jwt.SignOptions = {}, secret = JWT_SECRET) =>
  jwt.sign({ sub }, secret, { algorithm: 'HS256', expiresIn: '1h', ...opts });

export function toEvents(json: Record<string, unknown>[]): DashboardEvent[] {
  return json.map((j) => {
    const v = validateEvent(j);
    if (!v.ok) throw new Error(`${String(j.event_id)}: ${v.reason}`);
    return v.event;
  });
}

/** The query API in-process over real HTTP, on the pipeline's database and Redis, with a movable clock. */
export async function startQuery(p: TestPipeline, now: number) {
  const clock = { now };
  const app = createQueryApp({
    db: p.db.pool,
    cache: createAnswerCache(p.redis, cacheKeys(p.cachePrefix), 300, silentLogger()),
    jwtSecret: JWT_SECRET,
    tz: 'Asia/Shanghai',
    clock: () => clock.now,
    logger: silentLogger(),
    metrics: freshMetrics(),
    health: {},
  });
  const { base, close } = await listen(app);
  const get = async (read: string, user: string | null, star: string | null, auth?: string) => {
    const url = `${base}/api/v1/dashboard/${read}${star === null ? '' : `?star_id=${encodeURIComponent(star)}`}`;
    const res = await fetch(url, {
      headers: auth !== undefined ? { authorization: auth } : user ? { authorization: `Bearer ${token(user)}` } : {},
    });
    return { status: res.status, body: (await res.json()) as { code: number; data?: Record<string, unknown>; message?: string } };
  };
  /** The read's data once it equals `expected` (or the last answer, for the assertion to show). */
  const settle = async (read: string, user: string, star: string, expected: unknown, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      last = (await get(read, user, star)).body.data;
      if (JSON.stringify(last) === JSON.stringify(expected)) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    return last;
  };
  return { clock, get, settle, close };
}

/** Every rebuildable aggregate table, whole and in key order: what a rebuild must reproduce. */
export const AGGREGATE_TABLES = [
  'agg_daily_income',
  'agg_weekly_income',
  'agg_balance',
  'agg_assets',
  'agg_asset_daily',
  'agg_asset_activity',
  'agg_level_ups',
] as const;

export async function aggregateSnapshot(pool: Pool): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of AGGREGATE_TABLES) out[t] = (await pool.query(`SELECT * FROM ${t} ORDER BY 1, 2, 3, 4`)).rows;
  return out;
}
