import { LEVELS } from '@fan/schemas';
import { add, num, type Exact } from '../format';
import type { Read } from './context';

const SQL = `SELECT coalesce(levelup_level, mint_level) AS level, count(*) AS n
FROM agg_assets WHERE star_id = $1 AND user_id = $2 AND minted GROUP BY 1`;

/** Owned assets per current level, every level present; `total` is the number of owned assets. */
export const levelDistribution: Read = async ({ db, star, user }) => {
  const rows = (await db.query<{ level: string; n: string }>(SQL, [star.toString(), user.toString()])).rows;
  const counts = new Map(rows.map((r) => [r.level, num(r.n)]));
  const total = rows.reduce<Exact>((s, r) => add(s, num(r.n)), 0);
  return { items: LEVELS.map((level) => ({ level, count: counts.get(level) ?? 0, total })) };
};
