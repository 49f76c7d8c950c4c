import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { validateEvent, type DashboardEvent } from '@fan/events';
import { inTransaction } from '@fan/db';
import { ChangeSet } from '@fan/read-contract';
import type { AggregateContext, AggregateRule } from './apply-step';
import { claimEvents } from './exactly-once';

export interface RebuildResult {
  events: number;
  invalid: number;
  ms: number;
}

const PAGE = 5000;

/**
 * Recomputes one aggregator's tables from raw_events with the same store code as the live path,
 * in one transaction: readers keep seeing the old aggregates until the new ones commit, and a
 * failed rebuild leaves the old ones untouched. Run it with that aggregator stopped.
 */
export async function rebuildFromRaw(
  pool: Pool,
  p: {
    rule: AggregateRule;
    tables: readonly string[];
    ctx: AggregateContext;
    logger: Logger;
    /** First with read 0 once the rows to read are counted, then after every page. */
    onProgress?: (progress: { read: number; total: number }) => void;
  },
): Promise<RebuildResult> {
  const started = Date.now();
  let events = 0;
  let invalid = 0;
  let read = 0;
  await inTransaction(pool, async (client) => {
    for (const t of p.tables) await client.query(`DELETE FROM ${t}`);
    await client.query('DELETE FROM agg_applied_events WHERE aggregator = $1', [p.rule.name]);
    // For the progress line only: one scan, a small share of the rebuild's own reading and sorting.
    const total = p.onProgress
      ? (await client.query<{ n: string }>('SELECT count(*)::text AS n FROM raw_events WHERE event_type = ANY($1)', [[...p.rule.types]]))
          .rows[0]!.n
      : '0';
    p.onProgress?.({ read, total: Number(total) });
    // One cursor over the sorted rows instead of keyset pages: each page of the old query scanned and
    // sorted the whole table again to find its next 5,000 rows (no index on (occurred_at, event_id)),
    // so a rebuild slowed down as raw_events grew (docs/BENCHMARKS.md, bulk tools).
    await client.query(
      `DECLARE rebuild_raw NO SCROLL CURSOR FOR
         SELECT event_id, event_type, user_id::text, star_id::text, (extract(epoch FROM occurred_at) * 1000)::bigint::text AS at, properties
         FROM raw_events WHERE event_type = ANY($1) ORDER BY occurred_at, event_id`,
      [[...p.rule.types]],
    );
    for (;;) {
      const page = await client.query<{
        event_id: string;
        event_type: string;
        user_id: string;
        star_id: string;
        at: string;
        properties: Record<string, unknown>;
      }>(`FETCH ${PAGE} FROM rebuild_raw`);
      if (page.rows.length === 0) break;
      const batch: Array<{ event: DashboardEvent }> = [];
      for (const r of page.rows) {
        // Raw rows hold the JSON form, so the ways-in validator turns them back into events.
        const v = validateEvent({
          event_id: r.event_id,
          event_type: r.event_type,
          user_id: r.user_id,
          star_id: r.star_id,
          occurred_at: Number(r.at),
          properties: r.properties,
        });
        if (v.ok) batch.push({ event: v.event });
        else invalid++;
      }
      const fresh = await claimEvents(client, p.rule.name, batch);
      await p.rule.store(
        client,
        fresh.map((f) => f.event),
        new ChangeSet(),
        p.ctx,
      );
      events += fresh.length;
      read += page.rows.length;
      // The progress line says this on a terminal; a log line per page would break it up.
      p.logger.debug({ aggregator: p.rule.name, events }, 'rebuilding');
      p.onProgress?.({ read, total: Number(total) });
    }
    await client.query('CLOSE rebuild_raw');
  });
  return { events, invalid, ms: Date.now() - started };
}
