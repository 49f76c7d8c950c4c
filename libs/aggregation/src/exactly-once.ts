import type { PoolClient } from 'pg';
import type { DashboardEvent } from '@fan/events';

/**
 * Claims a chunk's event_ids for one aggregator and returns the events not applied before.
 * Runs inside the caller's transaction, so the claim commits or rolls back with the aggregate
 * updates: an event is applied exactly when its id is claimed. A concurrent claimer of the same id
 * (a zombie during a rebalance) waits on the primary key and then sees it taken.
 */
export async function claimEvents<E extends { event: DashboardEvent }>(client: PoolClient, aggregator: string, items: E[]): Promise<E[]> {
  const byId = new Map<string, E>();
  for (const item of items) if (!byId.has(item.event.event_id)) byId.set(item.event.event_id, item);
  if (byId.size === 0) return [];
  const ids = [...byId.keys()];
  const at = ids.map((id) => new Date(Number((byId.get(id) as E).event.occurred_at)).toISOString());
  const r = await client.query<{ event_id: string }>(
    `INSERT INTO agg_applied_events (aggregator, event_id, occurred_at)
     SELECT $1, id, at FROM unnest($2::text[], $3::timestamptz[]) AS t(id, at)
     ON CONFLICT DO NOTHING RETURNING event_id`,
    [aggregator, ids, at],
  );
  return r.rows.map((row) => byId.get(row.event_id) as E);
}
