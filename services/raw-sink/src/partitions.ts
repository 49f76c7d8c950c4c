import type { Pool, PoolClient } from 'pg';
import { inTransaction, RAW_HISTORY } from '@fan/db';
import { addDays, businessDate } from '@fan/events';

const NAME = /^raw_events_p(\d{4})(\d{2})(\d{2})$/;

export const partitionName = (date: string) => `raw_events_p${date.replaceAll('-', '')}`;

export interface MaintenanceResult {
  created: string[];
  /** Partitions (and DEFAULT's expired rows) detached into raw_expired, named as they are there. */
  expired: string[];
  /** Expired tables every folder had folded, dropped. */
  dropped: string[];
  /** Expired tables still waiting for a folder. */
  waiting: number;
  movedFromDefault: number;
}

const X = RAW_HISTORY.expiredSchema;

async function existingPartitions(client: PoolClient): Promise<Map<string, string>> {
  const r = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'raw_events'::regclass`,
  );
  const byDate = new Map<string, string>();
  for (const { name } of r.rows) {
    const m = NAME.exec(name);
    if (m) byDate.set(`${m[1]}-${m[2]}-${m[3]}`, name);
  }
  return byDate;
}

/**
 * Creates day partitions from yesterday to `daysAhead` days ahead (business zone). Rows that reached
 * the DEFAULT partition for a day that now gets its own partition are moved into it in the same
 * transaction, because Postgres refuses to attach a partition whose range still has rows in DEFAULT.
 *
 * Partitions older than `retentionDays` (and DEFAULT's rows older than that) are not dropped but
 * detached into raw_expired, where no new row can reach them; one is dropped once every `folders`
 * aggregator has folded it into history (raw_folds), so a rebuild keeps all-time figures however
 * old the system is (docs/ARCHITECTURE.md, "Rebuilds and history"). Serialised across processes,
 * and with rebuilds, by an advisory lock.
 */
export async function maintainPartitions(
  pool: Pool,
  opts: { tz: string; daysAhead: number; retentionDays: number; folders: readonly string[]; now?: number },
): Promise<MaintenanceResult> {
  const result: MaintenanceResult = { created: [], expired: [], dropped: [], waiting: 0, movedFromDefault: 0 };
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [RAW_HISTORY.maintenanceLock]);
    // "Today" on Postgres's clock, not this host's: a raw sink whose clock is hours off still
    // creates and expires the partitions of the database's days.
    const now =
      opts.now ?? Number((await client.query<{ ms: string }>('SELECT (extract(epoch FROM now()) * 1000)::bigint::text AS ms')).rows[0]!.ms);
    const today = businessDate(now, opts.tz);
    const existing = await existingPartitions(client);
    for (let d = -1; d <= opts.daysAhead; d++) {
      const date = addDays(today, d);
      if (existing.has(date)) continue;
      result.movedFromDefault += await createPartition(client, date, opts.tz);
      result.created.push(partitionName(date));
    }
    const cutoff = addDays(today, -opts.retentionDays);
    // The transaction's id keeps names apart when a day expires twice (a clock set back re-creates
    // its partition; DEFAULT's late rows expire again and again).
    const txid = (await client.query<{ id: string }>('SELECT txid_current()::text AS id')).rows[0]!.id;
    const suffix = `_tx${txid}`;
    for (const [date, name] of existing) {
      if (date >= cutoff) continue;
      await client.query(`ALTER TABLE raw_events DETACH PARTITION ${name}`);
      await client.query(`ALTER TABLE ${name} SET SCHEMA ${X}`);
      await client.query(`ALTER TABLE ${X}.${name} RENAME TO ${name}${suffix}`);
      result.expired.push(`${name}${suffix}`);
    }
    const bound = [cutoff, opts.tz];
    const lateName = `raw_events_default${suffix}`;
    await client.query(`CREATE TABLE ${X}.${lateName} (LIKE raw_events)`);
    const late = await client.query(
      `WITH moved AS (DELETE FROM raw_events_default WHERE occurred_at < ($1::date)::timestamp AT TIME ZONE $2 RETURNING *)
       INSERT INTO ${X}.${lateName} SELECT * FROM moved`,
      bound,
    );
    if (late.rowCount) result.expired.push(lateName);
    else await client.query(`DROP TABLE ${X}.${lateName}`);
    await client.query(`DELETE FROM raw_event_ids WHERE occurred_at < ($1::date)::timestamp AT TIME ZONE $2`, bound);

    const expired = await client.query<{ name: string; folded: boolean }>(
      `SELECT c.relname AS name,
              (SELECT count(DISTINCT f.aggregator) FROM raw_folds f WHERE f.expired_table = c.relname AND f.aggregator = ANY($2)) = cardinality($2) AS folded
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY 1`,
      [X, opts.folders],
    );
    for (const { name, folded } of expired.rows) {
      if (!folded) {
        result.waiting++;
        continue;
      }
      await client.query(`DROP TABLE ${X}.${name}`);
      await client.query('DELETE FROM raw_folds WHERE expired_table = $1', [name]);
      result.dropped.push(name);
    }
  });
  return result;
}

/** Returns how many rows moved from DEFAULT into the new partition. */
async function createPartition(client: PoolClient, date: string, tz: string): Promise<number> {
  const name = partitionName(date);
  const range = [date, addDays(date, 1), tz];
  await client.query(`CREATE TABLE ${name} (LIKE raw_events INCLUDING DEFAULTS)`);
  const moved = await client.query(
    `WITH moved AS (
       DELETE FROM raw_events_default
       WHERE occurred_at >= ($1::date)::timestamp AT TIME ZONE $3 AND occurred_at < ($2::date)::timestamp AT TIME ZONE $3
       RETURNING *)
     INSERT INTO ${name} SELECT * FROM moved`,
    range,
  );
  const lo = (
    await client.query<{ lo: string; hi: string }>(
      `SELECT (($1::date)::timestamp AT TIME ZONE $3)::text AS lo, (($2::date)::timestamp AT TIME ZONE $3)::text AS hi`,
      range,
    )
  ).rows[0] as { lo: string; hi: string };
  await client.query(`ALTER TABLE raw_events ATTACH PARTITION ${name} FOR VALUES FROM ('${lo.lo}') TO ('${lo.hi}')`);
  return moved.rowCount ?? 0;
}
