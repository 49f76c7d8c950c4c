import type { Pool } from 'pg';

export interface PgActivity {
  /** Transactions committed in the measured database. */
  commits: number;
  walBytes: number;
  walRecords: number;
  /** Full-page images: the first change of a page after a checkpoint writes all of it to the WAL. */
  walFpi: number;
  checkpoints: number;
}

async function sample(pool: Pool): Promise<PgActivity> {
  const r = await pool.query<Record<keyof PgActivity, string>>(
    `SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())::text AS commits,
            w.wal_bytes::text AS "walBytes", w.wal_records::text AS "walRecords", w.wal_fpi::text AS "walFpi",
            (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter)::text AS checkpoints
     FROM pg_stat_wal w`,
  );
  const row = r.rows[0]!;
  return {
    commits: Number(row.commits),
    walBytes: Number(row.walBytes),
    walRecords: Number(row.walRecords),
    walFpi: Number(row.walFpi),
    checkpoints: Number(row.checkpoints),
  };
}

/**
 * What Postgres did between start and stop, from its cumulative statistics: how many transactions a
 * case split its rows into, and how much WAL it wrote, so a difference in Postgres CPU between two
 * cases doing the same rows can be told apart (more transactions, or full-page images after a checkpoint).
 * Statistics reach the views with a delay of up to a second (stats_fetch_consistency, PG 15), hence the wait.
 */
export async function pgActivity(pool: Pool) {
  const settle = () => new Promise((r) => setTimeout(r, 1100));
  await settle();
  const before = await sample(pool);
  return async (): Promise<PgActivity> => {
    await settle();
    const after = await sample(pool);
    return {
      commits: after.commits - before.commits,
      walBytes: after.walBytes - before.walBytes,
      walRecords: after.walRecords - before.walRecords,
      walFpi: after.walFpi - before.walFpi,
      checkpoints: after.checkpoints - before.checkpoints,
    };
  };
}
