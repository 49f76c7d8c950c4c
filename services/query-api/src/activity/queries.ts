import type Redis from 'ioredis';
import type { Pool } from 'pg';
import type { CacheKeys } from '@fan/read-contract';
import { WINDOW_SECONDS } from './params';

type Counts = Record<string, number>;
/**
 * Place name → count, without a prototype: a province or city named `__proto__` (or `constructor`)
 * is a key like any other, and JSON.stringify writes it (`{"__proto__":3}`); on a plain object the
 * assignment set the prototype instead and the place vanished from the answer.
 */
const counts = (): Counts => Object.create(null) as Counts;

/** DAU per day with provinces and cities, zero-filled, from the counters the aggregator keeps. */
export async function dau(
  db: Pool,
  days: string[],
): Promise<{ days: Array<{ date: string; dau: number; by_province: Counts; by_city: Counts }>; total_days: number }> {
  const first = days[0]!;
  const last = days[days.length - 1]!;
  const [totals, geo] = await Promise.all([
    db.query<{ day: string; dau: string }>('SELECT day::text, dau::text FROM presence_daily_counts WHERE day BETWEEN $1 AND $2', [
      first,
      last,
    ]),
    db.query<{ day: string; kind: string; name: string; count: string }>(
      'SELECT day::text, kind, name, count::text FROM presence_daily_geo_counts WHERE day BETWEEN $1 AND $2 ORDER BY name',
      [first, last],
    ),
  ]);
  const byDay = new Map(days.map((d) => [d, { date: d, dau: 0, by_province: counts(), by_city: counts() }]));
  for (const r of totals.rows) byDay.get(r.day)!.dau = Number(r.dau);
  for (const r of geo.rows) (r.kind === 'province' ? byDay.get(r.day)!.by_province : byDay.get(r.day)!.by_city)[r.name] = Number(r.count);
  return { days: [...byDay.values()], total_days: days.length };
}

/**
 * Online at T from each identity's latest event: those whose latest is at or before T are counted
 * from presence_latest (one row each); only identities with an event after T (a clock ahead, or T
 * in the past) are looked up in the events. Exact, and fast for "now".
 */
export async function onlineNow(db: Pool, t: number): Promise<number> {
  const r = await db.query<{ n: number }>(
    `SELECT (
       (SELECT count(*) FROM presence_latest WHERE occurred_at > $1::timestamptz - make_interval(secs => $2) AND occurred_at <= $1 AND NOT ended)
       + (SELECT count(*) FROM (
           SELECT DISTINCT ON (a.identity) a.ended FROM presence_latest l JOIN presence_activity a ON a.identity = l.identity
           WHERE l.occurred_at > $1 AND a.occurred_at > $1::timestamptz - make_interval(secs => $2) AND a.occurred_at <= $1
           ORDER BY a.identity, a.occurred_at DESC, a.event_id DESC
         ) x WHERE NOT x.ended)
     )::int AS n`,
    [new Date(t).toISOString(), WINDOW_SECONDS],
  );
  return r.rows[0]!.n;
}

/**
 * Online at each instant T: identities whose latest activity event at or before T lies in
 * (T − 180 s, T] and is not a session end (ties at one instant broken by event id, the later
 * wins). One statement for every instant.
 */
export async function onlineAt(db: Pool, instants: number[]): Promise<number[]> {
  if (instants.length === 0) return [];
  const r = await db.query<{ at: Date; count: number }>(
    `SELECT t.at, (
       SELECT count(*) FROM (
         SELECT DISTINCT ON (identity) ended FROM presence_activity
         WHERE occurred_at > t.at - make_interval(secs => $2) AND occurred_at <= t.at
         ORDER BY identity, occurred_at DESC, event_id DESC
       ) latest WHERE NOT latest.ended
     )::int AS count
     FROM unnest($1::timestamptz[]) AS t(at) ORDER BY t.at`,
    [instants.map((ms) => new Date(ms).toISOString()), WINDOW_SECONDS],
  );
  return r.rows.map((x) => x.count);
}

export type DauAnswer = Awaited<ReturnType<typeof dau>>;

/** PRESENCE_DAU_MODE=hll: the same answer estimated from the day's and places' HyperLogLogs. */
export async function dauFromHll(redis: Redis, keys: CacheKeys, days: string[]): Promise<DauAnswer> {
  const kinds = ['province', 'city'] as const;
  const first = redis.pipeline();
  for (const d of days) {
    first.pfcount(keys.hllDau(d));
    for (const k of kinds) first.smembers(keys.hllPlaces(d, k));
  }
  const r1 = (await first.exec()) ?? [];
  const out = days.map((date) => ({ date, dau: 0, by_province: counts(), by_city: counts() }));
  const second = redis.pipeline();
  const slots: Array<{ day: number; kind: (typeof kinds)[number]; name: string }> = [];
  days.forEach((_, i) => {
    const [err, n] = r1[i * 3]!;
    if (err) throw err;
    out[i]!.dau = Number(n);
    kinds.forEach((kind, j) => {
      const [e2, names] = r1[i * 3 + 1 + j]!;
      if (e2) throw e2;
      for (const name of (names as string[]).sort()) {
        slots.push({ day: i, kind, name });
        second.pfcount(keys.hllPlace(days[i]!, kind, name));
      }
    });
  });
  const r2 = slots.length ? ((await second.exec()) ?? []) : [];
  slots.forEach((s, i) => {
    const [err, n] = r2[i]!;
    if (err) throw err;
    (s.kind === 'province' ? out[s.day]!.by_province : out[s.day]!.by_city)[s.name] = Number(n);
  });
  return { days: out, total_days: days.length };
}
