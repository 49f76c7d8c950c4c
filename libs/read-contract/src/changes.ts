import type { AppRead, ReadName } from './reads';

/**
 * What an aggregator tells the cache invalidator after a commit: which reads of one (star, user)
 * changed, and how that user's weekly income moved (other users' ranks depend on it).
 * Ids travel as decimal strings (JSON has no 64-bit integers).
 */
export interface AggregateChange {
  star_id: string;
  user_id: string;
  reads: ReadName[];
  /** Weekly income moved from `old` to `new` (decimal strings); ranks in [old, new) change. */
  rank?: Array<{ week: string; old: string; new: string }>;
  /**
   * Star-weeks whose every today-overview must go: a user's income went from 0 to > 0 there
   * (week_total_users changed), or a replayed chunk could not say what moved.
   */
  star_weeks?: string[];
}

/** What the presence aggregator tells the cache invalidator: app-wide reads that changed. */
export interface AppChange {
  app_reads: AppRead[];
}

/** Collects changes of one chunk, merged per (star, user). */
export class ChangeSet {
  private readonly byPair = new Map<string, AggregateChange>();

  private entry(star: bigint, user: bigint): AggregateChange {
    const key = `${star}:${user}`;
    let c = this.byPair.get(key);
    if (!c) {
      c = { star_id: star.toString(), user_id: user.toString(), reads: [] };
      this.byPair.set(key, c);
    }
    return c;
  }

  reads(star: bigint, user: bigint, reads: readonly ReadName[]): void {
    const c = this.entry(star, user);
    for (const r of reads) if (!c.reads.includes(r)) c.reads.push(r);
  }

  rank(star: bigint, user: bigint, week: string, oldIncome: bigint, newIncome: bigint): void {
    (this.entry(star, user).rank ??= []).push({ week, old: oldIncome.toString(), new: newIncome.toString() });
  }

  starWeek(star: bigint, user: bigint, week: string): void {
    const c = this.entry(star, user);
    c.star_weeks ??= [];
    if (!c.star_weeks.includes(week)) c.star_weeks.push(week);
  }

  get size(): number {
    return this.byPair.size;
  }

  list(): AggregateChange[] {
    return [...this.byPair.values()];
  }
}
