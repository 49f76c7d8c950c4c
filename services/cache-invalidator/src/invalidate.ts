import type { Pool } from 'pg';
import type { AggregateChange, CacheKeys } from '@fan/read-contract';
import type { ApplyStep } from '@fan/kafka-runner';

// Users of a star-week whose weekly income lies in [old, new) of another user's change: exactly
// those whose week_rank moved (rank = 1 + users with strictly more income).
const RANK_NEIGHBOURS = `
SELECT DISTINCT w.star_id::text AS star, w.user_id::text AS user
FROM unnest($1::bigint[], $2::date[], $3::bigint[], $4::bigint[], $5::bigint[]) AS k(star, week, lo, hi, mover)
JOIN agg_weekly_income w ON w.star_id = k.star AND w.week = k.week AND w.income >= k.lo AND w.income < k.hi AND w.user_id <> k.mover`;

/**
 * One chunk of change records → the generation keys to bump: each changed read of its own
 * (star, user), the today-overview of users whose rank moved, and whole star-weeks when
 * week_total_users changed. One Postgres query and one Redis script per chunk.
 */
export function invalidateStep(db: Pool, keys: CacheKeys, bump: (keys: readonly string[]) => Promise<void>): ApplyStep<AggregateChange> {
  return async (changes) => {
    const gens = new Set<string>();
    const rank: string[][] = [[], [], [], [], []];
    for (const c of changes) {
      for (const read of c.reads) gens.add(keys.userGen(read, c.star_id, c.user_id));
      for (const week of c.star_weeks ?? []) gens.add(keys.starWeekGen(c.star_id, week));
      for (const r of c.rank ?? []) {
        if (BigInt(r.new) <= BigInt(r.old)) continue;
        rank[0]!.push(c.star_id);
        rank[1]!.push(r.week);
        rank[2]!.push(r.old);
        rank[3]!.push(r.new);
        rank[4]!.push(c.user_id);
      }
    }
    if (rank[0]!.length) {
      const moved = await db.query<{ star: string; user: string }>(RANK_NEIGHBOURS, rank);
      for (const m of moved.rows) gens.add(keys.userGen('today-overview', m.star, m.user));
    }
    await bump([...gens].sort());
    return { applied: changes.length, duplicates: 0 };
  };
}
