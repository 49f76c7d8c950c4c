import { add, floorDiv, num, type Exact } from '../format';
import type { Read } from './context';

const SQL = `SELECT day::text, income::text FROM agg_daily_income WHERE star_id = $1 AND user_id = $2 AND day BETWEEN $3 AND $4`;

/** Income of each of the last 7 days, zero-filled; exactly one peak (ties to the later day). */
export const incomeCurve: Read = async ({ db, star, user, today, last7 }) => {
  const rows = (await db.query<{ day: string; income: string }>(SQL, [star.toString(), user.toString(), last7[0], today])).rows;
  const byDay = new Map(rows.map((r) => [r.day, num(r.income)]));
  const points = last7.map((date) => ({ date, income: byDay.get(date) ?? (0 as Exact), is_today: date === today, is_peak: false }));
  let peak = -1;
  points.forEach((p, i) => {
    // < and >= compare a number with a bigint exactly.
    if (p.income > 0 && (peak < 0 || p.income >= (points[peak] as { income: Exact }).income)) peak = i;
  });
  if (peak >= 0) (points[peak] as { is_peak: boolean }).is_peak = true;
  const total = points.reduce<Exact>((s, p) => add(s, p.income), 0);
  return { points, total_income: total, avg_income: floorDiv(total, 7) };
};
