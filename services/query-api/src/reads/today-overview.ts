import { add, num } from '../format';
import type { Read } from './context';

const SQL = `
SELECT (SELECT balance FROM agg_balance WHERE star_id = $1 AND user_id = $2)::text AS balance,
       (SELECT income FROM agg_daily_income WHERE star_id = $1 AND user_id = $2 AND day = $3)::text AS today,
       w.income::text AS week_income,
       (SELECT count(*) FROM agg_weekly_income WHERE star_id = $1 AND week = $4 AND income > 0) AS total,
       (SELECT count(*) FROM agg_weekly_income WHERE star_id = $1 AND week = $4 AND income > w.income) AS above
FROM (SELECT (SELECT income FROM agg_weekly_income WHERE star_id = $1 AND week = $4 AND user_id = $2) AS income) w`;

/** Balance, today's income, and the weekly rank among the star's users with income this week. */
export const todayOverview: Read = async ({ db, star, user, today, week }) => {
  const r = (await db.query(SQL, [star.toString(), user.toString(), today, week])).rows[0];
  const weekIncome = num(r.week_income);
  return {
    crystal_balance: num(r.balance),
    today_income: num(r.today),
    week_rank: weekIncome > 0 ? add(1, num(r.above)) : 0,
    week_total_users: num(r.total),
  };
};
