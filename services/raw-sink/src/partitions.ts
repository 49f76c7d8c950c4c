import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '@fan/db';
import { addDays, businessDate } from '@fan/events';

const LOCK_KEY = 727_002;
const NAME = /^raw_events_p(\d{4})(\d{2})(\d{2})$/;

export const partitionName = (date: string) => `raw_events_p${date.replaceAll('-', '')}`;

export interface MaintenanceResult {
  created: string[];
  dropped: string[];
  movedFromDefault: number;
}

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
 * Creates day partitions from yesterday to `daysAhead` days ahead (business zone) and drops those
 * older than `retentionDays`. Rows that reached the DEFAULT partition for a day that now gets its
 * own partition are moved into it in the same transaction, because Postgres refuses to attach a
 * partition whose range still has rows in DEFAULT. Serialised across processes by an advisory lock.
 */
export async function maintainPartitions(
  pool: Pool,
  opts: { tz: string; daysAhead: number; retentionDays: number; now?: number },
): Promise<MaintenanceResult> {
  const today = businessDate(opts.now ?? Date.now(), opts.tz);
  const result: MaintenanceResult = { created: [], dropped: [], movedFromDefault: 0 };
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    const existing = await existingPartitions(client);
    for (let d = -1; d <= opts.daysAhead; d++) {
      const date = addDays(today, d);
      if (existing.has(date)) continue;
      result.movedFromDefault += await createPartition(client, date, opts.tz);
      result.created.push(partitionName(date));
    }
    const cutoff = addDays(today, -opts.retentionDays);
    for (const [date, name] of existing) {
      if (date < cutoff) {
        await client.query(`DROP TABLE ${name}`);
        result.dropped.push(name);
      }
    }
    const bound = [cutoff, opts.tz];
    await client.query(`DELETE FROM raw_events_default WHERE occurred_at < ($1::date)::timestamp AT TIME ZONE $2`, bound);
    await client.query(`DELETE FROM raw_event_ids WHERE occurred_at < ($1::date)::timestamp AT TIME ZONE $2`, bound);
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
