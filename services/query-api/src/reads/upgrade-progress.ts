import { LEVEL_THRESHOLDS, TOP_LEVEL } from '@fan/schemas';
import { num } from '../format';
import type { Read } from './context';

const UPCOMING = `
SELECT asset_id::text, asset_name, asset_thumb, coalesce(levelup_level, mint_level) AS level,
       progress_likes::text AS likes, progress_duration_ms::text AS duration_ms
FROM agg_assets WHERE star_id = $1 AND user_id = $2 AND minted AND coalesce(levelup_level, mint_level) <> $3`;

const RECENT = `
SELECT l.asset_id::text, coalesce(a.asset_name, '') AS asset_name, coalesce(a.asset_thumb, '') AS asset_thumb, l.to_level,
       (extract(epoch FROM l.occurred_at) * 1000)::bigint::text AS at
FROM agg_level_ups l
LEFT JOIN agg_assets a ON a.star_id = l.star_id AND a.user_id = l.user_id AND a.asset_id = l.asset_id
WHERE l.star_id = $1 AND l.user_id = $2
ORDER BY l.occurred_at DESC, l.event_id DESC
LIMIT 5`;

/** min(100, floor(100 · done / required)), in integers so that no rounding creeps in. */
const percent = (done: bigint, required: bigint) => (done >= required ? 100 : Number((done * 100n) / required));

/** Progress towards the next level since the current one began, and the latest level-ups. */
export const upgradeProgress: Read = async ({ db, star, user }) => {
  const params = [star.toString(), user.toString()];
  const [upcoming, recent] = await Promise.all([
    db.query<{ asset_id: string; asset_name: string; asset_thumb: string; level: string; likes: string; duration_ms: string }>(UPCOMING, [
      ...params,
      TOP_LEVEL,
    ]),
    db.query<{ asset_id: string; asset_name: string; asset_thumb: string; to_level: string; at: string }>(RECENT, params),
  ]);
  const items = upcoming.rows
    .filter((r) => LEVEL_THRESHOLDS[r.level])
    .map((r) => {
      const t = LEVEL_THRESHOLDS[r.level] as { next: string; likes_required: number; exhibition_seconds_required: number };
      const like_progress = percent(BigInt(r.likes), BigInt(t.likes_required));
      // Seconds of exhibition, compared in milliseconds: floor(100 · ms / (1000 · required)).
      const duration_progress = percent(BigInt(r.duration_ms), BigInt(t.exhibition_seconds_required) * 1000n);
      return {
        asset_id: r.asset_id,
        asset_name: r.asset_name,
        asset_thumb: r.asset_thumb,
        current_level: r.level,
        next_level: t.next,
        like_progress,
        duration_progress,
      };
    })
    .sort((a, b) => {
      const d = b.like_progress + b.duration_progress - (a.like_progress + a.duration_progress);
      if (d !== 0) return d;
      const x = BigInt(a.asset_id);
      const y = BigInt(b.asset_id);
      return x < y ? -1 : x > y ? 1 : 0;
    })
    .slice(0, 5);
  return {
    upcoming: items,
    recent: recent.rows.map((r) => ({
      asset_id: r.asset_id,
      asset_name: r.asset_name,
      asset_thumb: r.asset_thumb,
      new_level: r.to_level,
      upgrade_time: num(r.at),
    })),
  };
};
