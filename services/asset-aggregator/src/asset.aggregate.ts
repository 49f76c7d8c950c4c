import { businessDate, compareEventIds, type DashboardEvent } from '@fan/events';
import { TOP_LEVEL } from '@fan/schemas';

/** State of one asset of one owner, as stored in agg_assets (instants in epoch ms). */
export interface AssetRow {
  star: bigint;
  user: bigint;
  asset: bigint;
  minted: boolean;
  /** Earliest mint's instant: nothing before it counts towards progress. */
  mintedAt: bigint | null;
  mintLevel: string | null;
  name: string;
  thumb: string;
  levelupLevel: string | null;
  levelupAt: bigint | null;
  levelupEventId: string | null;
  exhibiting: boolean;
  exhibitionAt: bigint | null;
  exhibitionEventId: string | null;
  totalDurationMs: bigint;
  totalRevenue: bigint;
  likeCount: bigint;
  likeAmount: bigint;
  progressLikes: bigint;
  progressDurationMs: bigint;
}

export interface ActivityRow {
  star: bigint;
  user: bigint;
  asset: bigint;
  at: bigint;
  eventId: string;
  likes: number;
  durationMs: bigint;
}
export interface DailyRow {
  star: bigint;
  user: bigint;
  day: string;
  asset: bigint;
  revenue: bigint;
  durationMs: bigint;
}
export interface LevelUpRow {
  star: bigint;
  user: bigint;
  at: bigint;
  eventId: string;
  asset: bigint;
  toLevel: string;
}

export interface AssetEffects {
  daily: Map<string, DailyRow>;
  activity: ActivityRow[];
  levelUps: LevelUpRow[];
  /** Assets whose current level changed: their progress is recounted from agg_asset_activity. */
  recount: Set<string>;
}

export const assetKey = (star: bigint, user: bigint, asset: bigint) => `${star}|${user}|${asset}`;

export function emptyAsset(star: bigint, user: bigint, asset: bigint): AssetRow {
  return {
    star,
    user,
    asset,
    minted: false,
    mintedAt: null,
    mintLevel: null,
    name: '',
    thumb: '',
    levelupLevel: null,
    levelupAt: null,
    levelupEventId: null,
    exhibiting: false,
    exhibitionAt: null,
    exhibitionEventId: null,
    totalDurationMs: 0n,
    totalRevenue: 0n,
    likeCount: 0n,
    likeAmount: 0n,
    progressLikes: 0n,
    progressDurationMs: 0n,
  };
}

/**
 * Since when activity counts towards the next level (CONTRACT §3): the asset entered its current
 * level at its latest level-up, and never before its mint. Null while neither is known.
 */
export function progressSince(r: AssetRow): bigint | null {
  if (r.mintedAt === null) return r.levelupAt;
  if (r.levelupAt === null) return r.mintedAt;
  return r.levelupAt > r.mintedAt ? r.levelupAt : r.mintedAt;
}

/** Current level: the latest level-up's to_level, else the mint level. */
export const currentLevel = (r: AssetRow): string | null => r.levelupLevel ?? r.mintLevel;

const later = (at: bigint, id: string, thanAt: bigint | null, thanId: string | null) =>
  thanAt === null || at > thanAt || (at === thanAt && compareEventIds(id, thanId ?? '') > 0);

/**
 * Applies a chunk of fresh asset and exhibition events to the rows of their assets (mutated in
 * place) and returns the rows to add elsewhere. Pure: the store loads and saves. Order inside the
 * chunk does not matter: "latest" facts compare (occurred_at, event_id), sums commute, and a
 * level change or a mint that moves the start of progress triggers a recount that sees every like
 * and end since that start.
 */
export function applyAssetEvents(rows: Map<string, AssetRow>, events: readonly DashboardEvent[], tz: string): AssetEffects {
  const fx: AssetEffects = { daily: new Map(), activity: [], levelUps: [], recount: new Set() };
  const daily = (e: DashboardEvent, asset: bigint) => {
    const day = businessDate(e.occurred_at, tz);
    const k = `${e.star_id}|${e.user_id}|${day}|${asset}`;
    let d = fx.daily.get(k);
    if (!d) fx.daily.set(k, (d = { star: e.star_id, user: e.user_id, day, asset, revenue: 0n, durationMs: 0n }));
    return d;
  };
  const progress = (r: AssetRow, e: DashboardEvent, likes: number, durationMs: bigint) => {
    if (currentLevel(r) === TOP_LEVEL) return; // nothing left to progress towards
    // Before the current level began (or before the mint): it can never count again, since that
    // start only moves later. Activity before a start not yet known is kept and recounted then.
    const since = progressSince(r);
    if (since !== null && e.occurred_at < since) return;
    fx.activity.push({ star: r.star, user: r.user, asset: r.asset, at: e.occurred_at, eventId: e.event_id, likes, durationMs });
    r.progressLikes += BigInt(likes);
    r.progressDurationMs += durationMs;
  };

  for (const e of events) {
    if (e.event_type === 'crystal.change') continue;
    const key = assetKey(e.star_id, e.user_id, e.properties.asset_id);
    let r = rows.get(key);
    if (!r) rows.set(key, (r = emptyAsset(e.star_id, e.user_id, e.properties.asset_id)));
    switch (e.event_type) {
      case 'asset.mint':
        if (r.mintedAt === null || e.occurred_at < r.mintedAt) {
          const before = progressSince(r);
          r.mintedAt = e.occurred_at;
          // An earlier-unknown mint can only move the start of progress later: recount from it.
          if (progressSince(r) !== before) fx.recount.add(key);
        }
        r.minted = true;
        r.mintLevel = e.properties.level;
        r.name = e.properties.asset_name;
        r.thumb = e.properties.asset_thumb;
        break;
      case 'asset.like':
        r.likeCount += 1n;
        r.likeAmount += e.properties.amount;
        progress(r, e, 1, 0n);
        break;
      case 'exhibition.start':
      case 'exhibition.end':
        if (later(e.occurred_at, e.event_id, r.exhibitionAt, r.exhibitionEventId)) {
          r.exhibiting = e.event_type === 'exhibition.start';
          r.exhibitionAt = e.occurred_at;
          r.exhibitionEventId = e.event_id;
        }
        if (e.event_type === 'exhibition.end') {
          r.totalDurationMs += e.properties.duration_ms;
          daily(e, r.asset).durationMs += e.properties.duration_ms;
          progress(r, e, 0, e.properties.duration_ms);
        }
        break;
      case 'exhibition.revenue':
        r.totalRevenue += e.properties.amount;
        daily(e, r.asset).revenue += e.properties.amount;
        break;
      case 'asset.level_up':
        fx.levelUps.push({
          star: r.star,
          user: r.user,
          at: e.occurred_at,
          eventId: e.event_id,
          asset: r.asset,
          toLevel: e.properties.to_level,
        });
        if (later(e.occurred_at, e.event_id, r.levelupAt, r.levelupEventId)) {
          r.levelupLevel = e.properties.to_level;
          r.levelupAt = e.occurred_at;
          r.levelupEventId = e.event_id;
          fx.recount.add(key);
        }
        break;
    }
  }
  return fx;
}
