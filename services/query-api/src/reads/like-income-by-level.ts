import { LEVELS } from '@fan/schemas';
import { num } from '../format';
import type { Read } from './context';

const TOTALS = `SELECT coalesce(sum(like_count), 0)::text AS likes, coalesce(sum(like_amount), 0)::text AS income
FROM agg_assets WHERE star_id = $1 AND user_id = $2`;

const BY_LEVEL = `
SELECT coalesce(levelup_level, mint_level) AS level, count(*) AS assets, sum(like_amount)::text AS income,
       (array_agg(asset_thumb ORDER BY like_amount DESC, asset_id ASC))[1] AS thumb
FROM agg_assets WHERE star_id = $1 AND user_id = $2 AND minted
GROUP BY 1`;

/** All-time likes on the user's assets, and per current level of the owned assets. */
export const likeIncomeByLevel: Read = async ({ db, star, user }) => {
  const params = [star.toString(), user.toString()];
  const [totals, byLevel] = await Promise.all([
    db.query(TOTALS, params),
    db.query<{ level: string; assets: string; income: string; thumb: string }>(BY_LEVEL, params),
  ]);
  const rows = new Map(byLevel.rows.map((r) => [r.level, r]));
  return {
    total_like_count: num(totals.rows[0].likes),
    total_income: num(totals.rows[0].income),
    levels: LEVELS.filter((l) => rows.has(l)).map((level) => {
      const r = rows.get(level) as { assets: string; income: string; thumb: string };
      return { level, asset_count: num(r.assets), total_income: num(r.income), thumb: r.thumb };
    }),
  };
};
