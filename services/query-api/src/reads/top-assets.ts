import { num } from '../format';
import type { Read } from './context';

const SQL = `
SELECT asset_id::text, asset_name, asset_thumb, (total_revenue + like_amount)::text AS earnings
FROM agg_assets WHERE star_id = $1 AND user_id = $2 AND total_revenue + like_amount > 0
ORDER BY total_revenue + like_amount DESC, asset_id ASC
LIMIT 5`;

/** Up to 5 assets by all-time exhibition revenue plus like income. */
export const topAssets: Read = async ({ db, star, user }) => {
  const rows = (
    await db.query<{ asset_id: string; asset_name: string; asset_thumb: string; earnings: string }>(SQL, [star.toString(), user.toString()])
  ).rows;
  return {
    items: rows.map((r, i) => ({
      asset_id: r.asset_id,
      asset_name: r.asset_name,
      asset_thumb: r.asset_thumb,
      total_earnings: num(r.earnings),
      rank: i + 1,
    })),
  };
};
