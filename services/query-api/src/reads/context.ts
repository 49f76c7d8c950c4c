import type { Pool } from 'pg';

/** Everything a read needs: whose dashboard, and the business calendar at "now". */
export interface ReadContext {
  db: Pool;
  star: bigint;
  user: bigint;
  /** Business date of "now", 'YYYY-MM-DD'. */
  today: string;
  /** Monday of the business week of "now". */
  week: string;
  /** The 7 dates of "last 7 days", oldest first, today last. */
  last7: string[];
}

export type Read = (ctx: ReadContext) => Promise<Record<string, unknown>>;
