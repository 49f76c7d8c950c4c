import type { PoolClient } from 'pg';
import type { DashboardEvent } from '@fan/events';
import { applyAssetEvents, assetKey, emptyAsset, progressSince, type AssetRow } from './asset.aggregate';

const iso = (ms: bigint | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
const ms = (text: string | null) => (text === null ? null : BigInt(text));
const str = (v: bigint) => v.toString();

/** How a column travels: its SQL type, and how it is read as text and sent back. */
type Kind = 'bigint' | 'numeric' | 'boolean' | 'text' | 'timestamptz';

/**
 * The columns of agg_assets, named once: the SELECT, the parsed row, the UPDATE's SET list, its
 * unnest types and its parameter arrays are all derived from this list (the key comes first).
 */
const COLUMNS: ReadonlyArray<readonly [column: string, field: keyof AssetRow, kind: Kind]> = [
  ['star_id', 'star', 'bigint'],
  ['user_id', 'user', 'bigint'],
  ['asset_id', 'asset', 'bigint'],
  ['minted', 'minted', 'boolean'],
  ['minted_at', 'mintedAt', 'timestamptz'],
  ['mint_level', 'mintLevel', 'text'],
  ['asset_name', 'name', 'text'],
  ['asset_thumb', 'thumb', 'text'],
  ['levelup_level', 'levelupLevel', 'text'],
  ['levelup_at', 'levelupAt', 'timestamptz'],
  ['levelup_event_id', 'levelupEventId', 'text'],
  ['exhibiting', 'exhibiting', 'boolean'],
  ['exhibition_at', 'exhibitionAt', 'timestamptz'],
  ['exhibition_event_id', 'exhibitionEventId', 'text'],
  ['total_duration_ms', 'totalDurationMs', 'numeric'],
  ['total_revenue', 'totalRevenue', 'numeric'],
  ['like_count', 'likeCount', 'numeric'],
  ['like_amount', 'likeAmount', 'numeric'],
  ['progress_likes', 'progressLikes', 'numeric'],
  ['progress_duration_ms', 'progressDurationMs', 'numeric'],
];
const KEY_COLUMNS = 3;

// Instants travel as epoch milliseconds in text, 64-bit integers as text: never a JS number.
const selectExpr = ([c, , kind]: (typeof COLUMNS)[number]) =>
  kind === 'timestamptz'
    ? `(extract(epoch FROM ${c}) * 1000)::bigint::text AS ${c}`
    : kind === 'bigint' || kind === 'numeric'
      ? `${c}::text AS ${c}`
      : c;
const SELECT_COLUMNS = COLUMNS.map(selectExpr).join(', ');

const fromText = (kind: Kind, v: string | boolean | null): unknown =>
  kind === 'bigint' || kind === 'numeric' ? BigInt(v as string) : kind === 'timestamptz' ? ms(v as string | null) : v;
const toParam = (kind: Kind, v: unknown): unknown =>
  kind === 'bigint' || kind === 'numeric' ? str(v as bigint) : kind === 'timestamptz' ? iso(v as bigint | null) : v;

const fromDb = (d: Record<string, string | boolean | null>): AssetRow => {
  const r: Record<string, unknown> = {};
  for (const [c, field, kind] of COLUMNS) r[field] = fromText(kind, d[c] ?? null);
  return r as unknown as AssetRow;
};

const SET = COLUMNS.slice(KEY_COLUMNS)
  .map(([c]) => `${c} = v.${c}`)
  .join(', ');
const UNNEST = COLUMNS.map(([, , kind], i) => `$${i + 1}::${kind}[]`).join(', ');
const V_COLUMNS = COLUMNS.map(([c]) => c).join(', ');
/** Writes every column of the given rows back in one statement. */
const UPDATE_ASSETS = `UPDATE agg_assets a SET ${SET}
  FROM unnest(${UNNEST}) AS v(${V_COLUMNS})
  WHERE a.star_id = v.star_id AND a.user_id = v.user_id AND a.asset_id = v.asset_id`;

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
  const loaded = await client.query<Record<string, string | boolean | null>>(
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
    UPDATE_ASSETS,
    COLUMNS.map(([, field, kind]) => all.map((r) => toParam(kind, r[field]))),
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
