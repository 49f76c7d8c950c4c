import { durationText, floorDiv, num } from '../format';
import type { Read } from './context';

const TOTALS = `
SELECT count(*) FILTER (WHERE minted AND exhibiting) AS exhibiting, count(*) FILTER (WHERE minted) AS starbook,
       coalesce(sum(total_duration_ms), 0)::text AS duration_ms, coalesce(sum(total_revenue), 0)::text AS earnings
FROM agg_assets WHERE star_id = $1 AND user_id = $2`;

const TOP5 = `
SELECT d.asset_id::text, coalesce(a.asset_name, '') AS asset_name, coalesce(a.asset_thumb, '') AS asset_thumb,
       sum(d.revenue)::text AS earnings, sum(d.duration_ms)::text AS duration_ms
FROM agg_asset_daily d
LEFT JOIN agg_assets a ON a.star_id = d.star_id AND a.user_id = d.user_id AND a.asset_id = d.asset_id
WHERE d.star_id = $1 AND d.user_id = $2 AND d.day BETWEEN $3 AND $4
GROUP BY d.asset_id, a.asset_name, a.asset_thumb
HAVING sum(d.revenue) > 0
ORDER BY sum(d.revenue) DESC, d.asset_id ASC
LIMIT 5`;

/** Exhibiting and owned counts, all-time duration and earnings, top 5 by 7-day revenue. */
export const exhibitionSummary: Read = async ({ db, star, user, today, last7 }) => {
  const params = [star.toString(), user.toString()];
  const [totals, top] = await Promise.all([
    db.query(TOTALS, params),
    db.query<{ asset_id: string; asset_name: string; asset_thumb: string; earnings: string; duration_ms: string }>(TOP5, [
      ...params,
      last7[0],
      today,
    ]),
  ]);
  const t = totals.rows[0];
  const totalSeconds = floorDiv(num(t.duration_ms), 1000);
  return {
    exhibiting_count: num(t.exhibiting),
    starbook_count: num(t.starbook),
    total_duration: durationText(totalSeconds),
    total_duration_seconds: totalSeconds,
    total_earnings: num(t.earnings),
    top5: top.rows.map((r) => {
      const seconds = floorDiv(num(r.duration_ms), 1000);
      const earnings = num(r.earnings);
      return {
        asset_id: r.asset_id,
        asset_name: r.asset_name,
        asset_thumb: r.asset_thumb,
        duration_7d: durationText(seconds),
        duration_7d_seconds: seconds,
        earnings_7d: earnings,
        avg_earnings: floorDiv(earnings, 7),
      };
    }),
  };
};
