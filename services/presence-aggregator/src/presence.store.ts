import type { PoolClient } from 'pg';
import type { PresenceRows } from './presence.fold';

const col = <T, R>(rows: Iterable<T>, f: (r: T) => R) => [...rows].map(f);

/**
 * Writes a chunk's rows and moves the counters by exactly the rows that were new (RETURNING), in
 * the caller's transaction: an event applied twice, or a session start seen again, adds nothing.
 * One statement per table, none per event.
 */
export async function storePresence(client: PoolClient, rows: PresenceRows, daily = true): Promise<{ daysChanged: string[] }> {
  if (rows.activity.length) {
    const a = rows.activity;
    await client.query(
      `INSERT INTO presence_activity (identity, occurred_at, event_id, ended)
       SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::boolean[]) ON CONFLICT DO NOTHING`,
      [col(a, (r) => r.identity), col(a, (r) => r.at), col(a, (r) => r.eventId), col(a, (r) => r.ended)],
    );
    // The latest per identity: only a later (occurred_at, event_id) replaces it, whatever the order.
    await client.query(
      `INSERT INTO presence_latest AS l (identity, occurred_at, event_id, ended)
       SELECT DISTINCT ON (identity) identity, at, id, ended FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::boolean[]) AS t(identity, at, id, ended)
       ORDER BY identity, at DESC, id COLLATE "C" DESC
       ON CONFLICT (identity) DO UPDATE SET occurred_at = excluded.occurred_at, event_id = excluded.event_id, ended = excluded.ended
       WHERE (excluded.occurred_at, excluded.event_id) > (l.occurred_at, l.event_id)`,
      [col(a, (r) => r.identity), col(a, (r) => r.at), col(a, (r) => r.eventId), col(a, (r) => r.ended)],
    );
  }
  const daysChanged: string[] = [];
  // With PRESENCE_DAU_MODE=hll the daily sets live in Redis HyperLogLogs (presence.hll.ts) instead.
  if (!daily) return { daysChanged };
  if (rows.active.size) {
    const v = [...rows.active.values()];
    const r = await client.query<{ day: string; n: string }>(
      `WITH fresh AS (
         INSERT INTO presence_daily_active (day, identity) SELECT * FROM unnest($1::date[], $2::text[]) ON CONFLICT DO NOTHING RETURNING day
       ), counted AS (SELECT day, count(*) AS n FROM fresh GROUP BY day)
       INSERT INTO presence_daily_counts AS c (day, dau) SELECT day, n FROM counted
       ON CONFLICT (day) DO UPDATE SET dau = c.dau + excluded.dau
       RETURNING day::text, dau::text AS n`,
      [col(v, (x) => x.day), col(v, (x) => x.identity)],
    );
    daysChanged.push(...r.rows.map((x) => x.day));
  }
  if (rows.geo.size) {
    const g = [...rows.geo.values()];
    await client.query(
      `WITH fresh AS (
         INSERT INTO presence_daily_geo (day, kind, name, identity) SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[])
         ON CONFLICT DO NOTHING RETURNING day, kind, name
       ), counted AS (SELECT day, kind, name, count(*) AS n FROM fresh GROUP BY 1, 2, 3)
       INSERT INTO presence_daily_geo_counts AS c (day, kind, name, count) SELECT * FROM counted
       ON CONFLICT (day, kind, name) DO UPDATE SET count = c.count + excluded.count`,
      [col(g, (x) => x.day), col(g, (x) => x.kind), col(g, (x) => x.name), col(g, (x) => x.identity)],
    );
  }
  return { daysChanged };
}
