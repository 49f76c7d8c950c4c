import type { PoolClient } from 'pg';
import type { ChangeSet } from '@fan/read-contract';
import type { IncomeDeltas } from './income.aggregate';

const col = <T, R>(rows: T[], f: (r: T) => R) => rows.map(f);
/** Values in key order: every transaction locks rows in the same order, so none deadlock. */
const sorted = <V>(m: Map<string, V>): V[] => [...m.keys()].sort().map((k) => m.get(k) as V);

/**
 * Writes a chunk's income deltas with one statement per table (arrays unnested server-side, ids
 * passed as decimal strings) and records what moved in `changes`. Incomes travel as numeric: a
 * chunk's delta for one user can pass 2^63 (2,000 amounts of 2^53 - 1), and the stored sums are
 * exact integers of any size (migrations/sql/0010_exact_sums.sql).
 */
export async function storeIncome(client: PoolClient, d: IncomeDeltas, changes: ChangeSet): Promise<void> {
  const daily = sorted(d.daily);
  if (daily.length) {
    await client.query(
      `INSERT INTO agg_daily_income (star_id, user_id, day, income)
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::date[], $4::numeric[])
       ON CONFLICT (star_id, user_id, day) DO UPDATE SET income = agg_daily_income.income + excluded.income`,
      [
        col(daily, (r) => r.star.toString()),
        col(daily, (r) => r.user.toString()),
        col(daily, (r) => r.day),
        col(daily, (r) => r.income.toString()),
      ],
    );
  }

  const weekly = sorted(d.weekly);
  if (weekly.length) {
    const r = await client.query<{ star_id: string; user_id: string; week: string; income: string }>(
      `INSERT INTO agg_weekly_income (star_id, week, user_id, income)
       SELECT * FROM unnest($1::bigint[], $2::date[], $3::bigint[], $4::numeric[])
       ON CONFLICT (star_id, week, user_id) DO UPDATE SET income = agg_weekly_income.income + excluded.income
       RETURNING star_id::text, user_id::text, week::text, income::text`,
      [
        col(weekly, (r) => r.star.toString()),
        col(weekly, (r) => r.week),
        col(weekly, (r) => r.user.toString()),
        col(weekly, (r) => r.income.toString()),
      ],
    );
    for (const row of r.rows) {
      const delta = d.weekly.get(`${row.star_id}|${row.user_id}|${row.week}`)?.income ?? 0n;
      const now = BigInt(row.income);
      const before = now - delta;
      const star = BigInt(row.star_id);
      const user = BigInt(row.user_id);
      changes.rank(star, user, row.week, before, now);
      if (before === 0n) changes.starWeek(star, user, row.week);
    }
  }

  const balances = sorted(d.balances);
  if (balances.length) {
    await client.query(
      `INSERT INTO agg_balance (star_id, user_id, balance, occurred_at, event_id)
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::timestamptz[], $5::text[])
       ON CONFLICT (star_id, user_id) DO UPDATE SET balance = excluded.balance, occurred_at = excluded.occurred_at, event_id = excluded.event_id
       WHERE (excluded.occurred_at, excluded.event_id) > (agg_balance.occurred_at, agg_balance.event_id)`,
      [
        col(balances, (r) => r.star.toString()),
        col(balances, (r) => r.user.toString()),
        col(balances, (r) => r.balance.toString()),
        col(balances, (r) => new Date(Number(r.at)).toISOString()),
        col(balances, (r) => r.eventId),
      ],
    );
  }
}
