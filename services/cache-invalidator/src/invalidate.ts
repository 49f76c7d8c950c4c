import type { Pool } from 'pg';
import type { CacheKeys, ReadName, ReadsChanged } from '@fan/read-contract';
import { isAppChange, type Change } from './decode-change';
import type { ApplyChunksStep } from '@fan/kafka-runner';
import { mergedRankRanges, type RankMove } from './rank-ranges';

// Users of a star-week whose weekly income lies in a merged [lo, hi) of the rises (rank-ranges.ts).
// Incomes are numeric like the column (migrations/sql/0010_exact_sums.sql): they may pass 2^63.
const RANK_NEIGHBOURS = `
SELECT DISTINCT w.star_id::text AS star, w.user_id::text AS user
FROM unnest($1::bigint[], $2::date[], $3::numeric[], $4::numeric[]) AS k(star, week, lo, hi)
JOIN agg_weekly_income w ON w.star_id = k.star AND w.week = k.week AND w.income >= k.lo AND w.income < k.hi`;

/**
 * The chunks of change records the partitions hand in together → the generation keys to bump:
 * each changed read of its own (star, user), the today-overview of users whose rank moved, and
 * whole star-weeks when week_total_users changed. One Postgres query and one Redis script for all.
 */
export function invalidateStep(
  db: Pool,
  keys: CacheKeys,
  bump: (keys: readonly string[]) => Promise<void>,
  announce: (changed: ReadsChanged[]) => Promise<void> = async () => undefined,
): ApplyChunksStep<Change> {
  return async (chunks) => {
    const gens = new Set<string>();
    // What changed per (star, user) ('' = every user of the star), announced after the bump.
    const notices = new Map<string, { star: string; user: string | null; reads: Set<ReadName> }>();
    const note = (star: string, user: string | null, reads: readonly ReadName[]) => {
      const k = `${star}:${user ?? ''}`;
      let n = notices.get(k);
      if (!n) notices.set(k, (n = { star, user, reads: new Set() }));
      for (const r of reads) n.reads.add(r);
    };
    const rises: RankMove[] = [];
    for (const chunk of chunks)
      for (const c of chunk.items) {
        if (isAppChange(c)) {
          for (const read of c.app_reads) gens.add(keys.appGen(read));
          continue;
        }
        for (const read of c.reads) gens.add(keys.userGen(read, c.star_id, c.user_id));
        note(c.star_id, c.user_id, c.reads);
        for (const week of c.star_weeks ?? []) {
          gens.add(keys.starWeekGen(c.star_id, week));
          note(c.star_id, null, ['today-overview']);
        }
        for (const r of c.rank ?? []) rises.push({ star: c.star_id, week: r.week, old: r.old, new: r.new });
      }
    const rank = mergedRankRanges(rises);
    if (rank[0].length) {
      const moved = await db.query<{ star: string; user: string }>(RANK_NEIGHBOURS, rank);
      for (const m of moved.rows) {
        gens.add(keys.userGen('today-overview', m.star, m.user));
        note(m.star, m.user, ['today-overview']);
      }
    }
    await bump([...gens].sort());
    await announce([...notices.values()].filter((n) => n.reads.size > 0).map((n) => ({ star: n.star, user: n.user, reads: [...n.reads] })));
    return chunks.map((c) => ({ applied: c.items.length, duplicates: 0 }));
  };
}
