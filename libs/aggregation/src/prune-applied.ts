import type { Pool } from 'pg';

/**
 * Deletes one aggregator's claims applied more than `retentionDays` ago, in batches so that no
 * statement holds locks for long. An event re-sent after that window would be applied again; the
 * window is longer than anything that replays records (docs/RELIABILITY.md).
 */
export async function pruneAppliedEvents(pool: Pool, aggregator: string, retentionDays: number, batch = 10_000): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await pool.query(
      `DELETE FROM agg_applied_events WHERE ctid = ANY (ARRAY(
         SELECT ctid FROM agg_applied_events
         WHERE aggregator = $1 AND applied_at < now() - make_interval(days => $2)
         LIMIT $3))`,
      [aggregator, retentionDays, batch],
    );
    total += r.rowCount ?? 0;
    if ((r.rowCount ?? 0) < batch) return total;
  }
}
