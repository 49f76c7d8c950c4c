import type { Pool } from 'pg';
import { inTransaction } from '@fan/db';
import type { ActivityEvent } from '@fan/events';
import type { ApplyStep } from '@fan/kafka-runner';
import type { AppRead } from '@fan/read-contract';
import { foldPresence, type PresenceRows } from './presence.fold';
import { storePresence } from './presence.store';

/**
 * The presence rule: every row is a fact keyed by what it says and counters move only by the rows
 * that were new, so a chunk applied again (after a crash or a rebalance) changes nothing — no
 * separate claim table is needed.
 */
export function presenceApplyStep(
  pool: Pool,
  tz: string,
  announce: (reads: AppRead[]) => Promise<void>,
  hll?: (rows: PresenceRows) => Promise<void>,
): ApplyStep<ActivityEvent> {
  return async (events) => {
    const rows = foldPresence(events, tz);
    await inTransaction(pool, (client) => storePresence(client, rows, hll === undefined));
    if (hll) await hll(rows);
    // Told before the offset moves (like the other aggregators): any activity moves "online";
    // a session start may move the DAU (announced even when it was a repeat: harmless).
    await announce(rows.active.size > 0 ? ['online-count', 'online-history', 'dau'] : ['online-count', 'online-history']);
    return { applied: events.length, duplicates: 0 };
  };
}
