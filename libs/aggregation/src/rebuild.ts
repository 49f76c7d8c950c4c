import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { validateEvent, type DashboardEvent } from '@fan/events';
import { inTransaction, RAW_HISTORY } from '@fan/db';
import { ChangeSet } from '@fan/read-contract';
import type { AggregateContext, AggregateRule } from './apply-step';
import { claimEvents } from './exactly-once';

export interface RebuildResult {
  /** Events applied on top of history (raw_events and expired tables not folded yet). */
  events: number;
  invalid: number;
  /** Expired raw tables folded into history first. */
  folded: number;
  ms: number;
}

export interface FoldResult {
  tables: string[];
  events: number;
  invalid: number;
}

const PAGE = 5000;
const H = RAW_HISTORY.historySchema;
const X = RAW_HISTORY.expiredSchema;

type RawRow = { event_id: string; event_type: string; user_id: string; star_id: string; at: string; properties: Record<string, unknown> };
const COLUMNS = `event_id, event_type, user_id::text, star_id::text, (extract(epoch FROM occurred_at) * 1000)::bigint::text AS at, properties`;

/**
 * Feeds the rows `source` selects (raw_events' columns), in (occurred_at, event_id) order, through
 * the rule's store with the same code as the live path; `claim` de-duplicates by event_id first.
 * One cursor over the sorted rows instead of keyset pages: each page of a keyset query scanned and
 * sorted the whole table again (no index on (occurred_at, event_id); docs/BENCHMARKS.md, bulk tools).
 */
async function replayRows(
  client: PoolClient,
  p: { source: string; params: unknown[]; rule: AggregateRule; ctx: AggregateContext; claim: boolean; onPage?: (read: number) => void },
): Promise<{ events: number; invalid: number }> {
  let events = 0;
  let invalid = 0;
  let read = 0;
  await client.query(
    `DECLARE replay_raw NO SCROLL CURSOR FOR SELECT ${COLUMNS} FROM (${p.source}) AS src ORDER BY occurred_at, event_id`,
    p.params,
  );
  for (;;) {
    const page = await client.query<RawRow>(`FETCH ${PAGE} FROM replay_raw`);
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
    const fresh = p.claim ? (await claimEvents(client, p.rule.name, batch)).map((f) => f.event) : batch.map((b) => b.event);
    await p.rule.store(client, fresh, new ChangeSet(), p.ctx);
    events += fresh.length;
    read += page.rows.length;
    p.onPage?.(read);
  }
  await client.query('CLOSE replay_raw');
  return { events, invalid };
}

/** The expired raw tables (raw_expired) this aggregator has not folded yet, oldest name first. */
async function unfolded(client: PoolClient | Pool, aggregator: string): Promise<string[]> {
  const r = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = 'r'
       AND NOT EXISTS (SELECT 1 FROM raw_folds f WHERE f.expired_table = c.relname AND f.aggregator = $2)
     ORDER BY 1`,
    [X, aggregator],
  );
  return r.rows.map((x) => x.name);
}

const ofTypes = (table: string) => `SELECT * FROM ${table} WHERE event_type = ANY($1)`;

/**
 * Folds every expired raw table this aggregator has not folded yet into its history tables (the
 * same store, with `history` first on the search path), one transaction per table together with
 * its raw_folds row: a table is folded exactly once, and the raw sink drops it only after every
 * rebuildable aggregator did. Rows are unique by event_id there (the raw sink's key), so no claim.
 */
export async function foldExpiredRaw(pool: Pool, rule: AggregateRule, ctx: AggregateContext): Promise<FoldResult> {
  const result: FoldResult = { tables: [], events: 0, invalid: 0 };
  for (const table of await unfolded(pool, rule.name)) {
    await inTransaction(pool, async (client) => {
      const mine = await client.query(
        'INSERT INTO raw_folds (aggregator, expired_table, events) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING RETURNING 1',
        [rule.name, table],
      );
      if (mine.rowCount === 0) return; // another process of this group folded it meanwhile
      await client.query(`SET LOCAL search_path TO ${H}, public`);
      const r = await replayRows(client, { source: ofTypes(`${X}.${table}`), params: [[...rule.types]], rule, ctx, claim: false });
      await client.query('UPDATE raw_folds SET events = $3 WHERE aggregator = $1 AND expired_table = $2', [rule.name, table, r.events]);
      result.tables.push(table);
      result.events += r.events;
      result.invalid += r.invalid;
    });
  }
  return result;
}

/**
 * Recomputes one aggregator's tables in one transaction: history (everything folded out of raw
 * retention) copied in, then every event raw_events and the not yet folded expired tables hold,
 * with the same store code as the live path. Readers keep seeing the old aggregates until the new
 * ones commit, and a failed rebuild leaves them untouched. Holds the partition maintenance lock so
 * that no partition expires in between. Run it with that aggregator stopped.
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
  const folded = await foldExpiredRaw(pool, p.rule, p.ctx);
  if (folded.tables.length) p.logger.info(folded, 'expired raw tables folded into history');
  const result = await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [RAW_HISTORY.maintenanceLock]);
    for (const t of p.tables) {
      await client.query(`DELETE FROM ${t}`);
      await client.query(`INSERT INTO ${t} SELECT * FROM ${H}.${t}`);
    }
    await client.query('DELETE FROM agg_applied_events WHERE aggregator = $1', [p.rule.name]);
    // Expired after the fold above and before the lock: not in history yet, so read where it is.
    const pending = await unfolded(client, p.rule.name);
    const source = [ofTypes('raw_events'), ...pending.map((t) => ofTypes(`${X}.${t}`))].join(' UNION ALL ');
    const params = [[...p.rule.types]];
    // For the progress line only: one scan, a small share of the rebuild's own reading and sorting.
    const total = p.onProgress
      ? Number((await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM (${source}) s`, params)).rows[0]!.n)
      : 0;
    p.onProgress?.({ read: 0, total });
    return replayRows(client, {
      source,
      params,
      rule: p.rule,
      ctx: p.ctx,
      claim: true,
      onPage: (read) => {
        // The progress line says this on a terminal; a log line per page would break it up.
        p.logger.debug({ aggregator: p.rule.name, read }, 'rebuilding');
        p.onProgress?.({ read, total });
      },
    });
  });
  return { ...result, folded: folded.tables.length, ms: Date.now() - started };
}
