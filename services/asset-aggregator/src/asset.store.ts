import type { PoolClient } from 'pg';
import type { DashboardEvent } from '@fan/events';
import { applyAssetEvents, assetKey, emptyAsset, progressSince, type AssetRow } from './asset.aggregate';

const iso = (ms: bigint | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
const ms = (text: string | null) => (text === null ? null : BigInt(text));
const str = (v: bigint) => v.toString();

const SELECT_COLUMNS = `star_id::text, user_id::text, asset_id::text, minted, (extract(epoch FROM minted_at) * 1000)::bigint::text AS minted_at, mint_level, asset_name, asset_thumb, levelup_level,
  (extract(epoch FROM levelup_at) * 1000)::bigint::text AS levelup_at, levelup_event_id, exhibiting,
  (extract(epoch FROM exhibition_at) * 1000)::bigint::text AS exhibition_at, exhibition_event_id,
  total_duration_ms::text, total_revenue::text, like_count::text, like_amount::text, progress_likes::text, progress_duration_ms::text`;

interface DbRow {
  star_id: string;
  user_id: string;
  asset_id: string;
  minted: boolean;
  minted_at: string | null;
  mint_level: string | null;
  asset_name: string;
  asset_thumb: string;
  levelup_level: string | null;
  levelup_at: string | null;
  levelup_event_id: string | null;
  exhibiting: boolean;
  exhibition_at: string | null;
  exhibition_event_id: string | null;
  total_duration_ms: string;
  total_revenue: string;
  like_count: string;
  like_amount: string;
  progress_likes: string;
  progress_duration_ms: string;
}

const fromDb = (d: DbRow): AssetRow => ({
  star: BigInt(d.star_id),
  user: BigInt(d.user_id),
  asset: BigInt(d.asset_id),
  minted: d.minted,
  mintedAt: ms(d.minted_at),
  mintLevel: d.mint_level,
  name: d.asset_name,
  thumb: d.asset_thumb,
  levelupLevel: d.levelup_level,
  levelupAt: ms(d.levelup_at),
  levelupEventId: d.levelup_event_id,
  exhibiting: d.exhibiting,
  exhibitionAt: ms(d.exhibition_at),
  exhibitionEventId: d.exhibition_event_id,
  totalDurationMs: BigInt(d.total_duration_ms),
  totalRevenue: BigInt(d.total_revenue),
  likeCount: BigInt(d.like_count),
  likeAmount: BigInt(d.like_amount),
  progressLikes: BigInt(d.progress_likes),
  progressDurationMs: BigInt(d.progress_duration_ms),
});

/**
 * Loads the chunk's assets under row locks, applies the events in memory, and writes everything
 * back with one statement per table: about eight round trips per chunk, none per event.
 */
export async function storeAssets(client: PoolClient, events: DashboardEvent[], tz: string): Promise<void> {
  const keyed = new Map<string, AssetRow>();
  for (const e of events) {
    if (e.event_type === 'crystal.change') continue;
    const k = assetKey(e.star_id, e.user_id, e.properties.asset_id);
    if (!keyed.has(k)) keyed.set(k, emptyAsset(e.star_id, e.user_id, e.properties.asset_id));
  }
  if (keyed.size === 0) return;
  // Sorted keys: concurrent transactions lock the same rows in the same order and never deadlock.
  const keys = [...keyed.keys()].sort().map((k) => keyed.get(k) as AssetRow);
  const keyArrays = [keys.map((r) => str(r.star)), keys.map((r) => str(r.user)), keys.map((r) => str(r.asset))];

  // Create missing rows first, so that the FOR UPDATE below locks every asset of the chunk.
  await client.query(
    `INSERT INTO agg_assets (star_id, user_id, asset_id) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) ON CONFLICT DO NOTHING`,
    keyArrays,
  );
  const loaded = await client.query<DbRow>(
    `SELECT ${SELECT_COLUMNS} FROM agg_assets
     WHERE (star_id, user_id, asset_id) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]))
     ORDER BY star_id, user_id, asset_id FOR UPDATE`,
    keyArrays,
  );
  const rows = new Map<string, AssetRow>();
  for (const d of loaded.rows) {
    const r = fromDb(d);
    rows.set(assetKey(r.star, r.user, r.asset), r);
  }

  const fx = applyAssetEvents(rows, events, tz);

  if (fx.activity.length) {
    const a = fx.activity;
    await client.query(
      `INSERT INTO agg_asset_activity (star_id, user_id, asset_id, occurred_at, event_id, likes, duration_ms)
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::timestamptz[], $5::text[], $6::int[], $7::bigint[])
       ON CONFLICT DO NOTHING`,
      [
        a.map((x) => str(x.star)),
        a.map((x) => str(x.user)),
        a.map((x) => str(x.asset)),
        a.map((x) => iso(x.at)),
        a.map((x) => x.eventId),
        a.map((x) => x.likes),
        a.map((x) => str(x.durationMs)),
      ],
    );
  }

  if (fx.recount.size) {
    const rc = [...fx.recount].sort().map((k) => rows.get(k) as AssetRow);
    const params = [
      rc.map((r) => str(r.star)),
      rc.map((r) => str(r.user)),
      rc.map((r) => str(r.asset)),
      rc.map((r) => iso(progressSince(r))),
    ];
    const sums = await client.query<{ k: string; likes: string; duration: string }>(
      `SELECT k.s::text || '|' || k.u::text || '|' || k.a::text AS k, coalesce(sum(x.likes), 0)::text AS likes, coalesce(sum(x.duration_ms), 0)::text AS duration
       FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::timestamptz[]) AS k(s, u, a, since)
       LEFT JOIN agg_asset_activity x ON x.star_id = k.s AND x.user_id = k.u AND x.asset_id = k.a AND x.occurred_at >= k.since
       GROUP BY 1`,
      params,
    );
    for (const s of sums.rows) {
      const r = rows.get(s.k) as AssetRow;
      r.progressLikes = BigInt(s.likes);
      r.progressDurationMs = BigInt(s.duration);
    }
    // Activity before the new level can never count again.
    await client.query(
      `DELETE FROM agg_asset_activity x USING unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::timestamptz[]) AS k(s, u, a, since)
       WHERE x.star_id = k.s AND x.user_id = k.u AND x.asset_id = k.a AND x.occurred_at < k.since`,
      params,
    );
  }

  const all = [...rows.keys()].sort().map((k) => rows.get(k) as AssetRow);
  await client.query(
    `UPDATE agg_assets a SET minted = v.minted, mint_level = v.mint_level, asset_name = v.asset_name, asset_thumb = v.asset_thumb,
       levelup_level = v.levelup_level, levelup_at = v.levelup_at, levelup_event_id = v.levelup_event_id, exhibiting = v.exhibiting,
       exhibition_at = v.exhibition_at, exhibition_event_id = v.exhibition_event_id, total_duration_ms = v.total_duration_ms,
       total_revenue = v.total_revenue, like_count = v.like_count, like_amount = v.like_amount, progress_likes = v.progress_likes,
       progress_duration_ms = v.progress_duration_ms, minted_at = v.minted_at
     FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::boolean[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[],
                 $10::text[], $11::boolean[], $12::timestamptz[], $13::text[], $14::numeric[], $15::numeric[], $16::numeric[], $17::numeric[],
                 $18::numeric[], $19::numeric[], $20::timestamptz[])
       AS v(star_id, user_id, asset_id, minted, mint_level, asset_name, asset_thumb, levelup_level, levelup_at, levelup_event_id, exhibiting,
            exhibition_at, exhibition_event_id, total_duration_ms, total_revenue, like_count, like_amount, progress_likes, progress_duration_ms,
            minted_at)
     WHERE a.star_id = v.star_id AND a.user_id = v.user_id AND a.asset_id = v.asset_id`,
    [
      all.map((r) => str(r.star)),
      all.map((r) => str(r.user)),
      all.map((r) => str(r.asset)),
      all.map((r) => r.minted),
      all.map((r) => r.mintLevel),
      all.map((r) => r.name),
      all.map((r) => r.thumb),
      all.map((r) => r.levelupLevel),
      all.map((r) => iso(r.levelupAt)),
      all.map((r) => r.levelupEventId),
      all.map((r) => r.exhibiting),
      all.map((r) => iso(r.exhibitionAt)),
      all.map((r) => r.exhibitionEventId),
      all.map((r) => str(r.totalDurationMs)),
      all.map((r) => str(r.totalRevenue)),
      all.map((r) => str(r.likeCount)),
      all.map((r) => str(r.likeAmount)),
      all.map((r) => str(r.progressLikes)),
      all.map((r) => str(r.progressDurationMs)),
      all.map((r) => iso(r.mintedAt)),
    ],
  );

  if (fx.daily.size) {
    const d = [...fx.daily.keys()].sort().map((k) => fx.daily.get(k)!);
    await client.query(
      `INSERT INTO agg_asset_daily (star_id, user_id, day, asset_id, revenue, duration_ms)
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::date[], $4::bigint[], $5::numeric[], $6::numeric[])
       ON CONFLICT (star_id, user_id, day, asset_id) DO UPDATE
       SET revenue = agg_asset_daily.revenue + excluded.revenue, duration_ms = agg_asset_daily.duration_ms + excluded.duration_ms`,
      [
        d.map((x) => str(x.star)),
        d.map((x) => str(x.user)),
        d.map((x) => x.day),
        d.map((x) => str(x.asset)),
        d.map((x) => str(x.revenue)),
        d.map((x) => str(x.durationMs)),
      ],
    );
  }

  if (fx.levelUps.length) {
    const l = fx.levelUps;
    await client.query(
      `INSERT INTO agg_level_ups (star_id, user_id, occurred_at, event_id, asset_id, to_level)
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::text[], $5::bigint[], $6::text[]) ON CONFLICT DO NOTHING`,
      [
        l.map((x) => str(x.star)),
        l.map((x) => str(x.user)),
        l.map((x) => iso(x.at)),
        l.map((x) => x.eventId),
        l.map((x) => str(x.asset)),
        l.map((x) => x.toLevel),
      ],
    );
  }
}
