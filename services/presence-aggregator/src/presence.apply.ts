import type { Pool } from 'pg';
import { inTransaction } from '@fan/db';
import type { ActivityEvent } from '@fan/events';
import type { ApplyStep } from '@fan/kafka-runner';
import { foldPresence } from './presence.fold';
import { storePresence } from './presence.store';

/**
 * The presence rule: every row is a fact keyed by what it says and counters move only by the rows
 * that were new, so a chunk applied again (after a crash or a rebalance) changes nothing — no
 * separate claim table is needed.
 */
export function presenceApplyStep(pool: Pool, tz: string): ApplyStep<ActivityEvent> {
  return async (events) => {
    const rows = foldPresence(events, tz);
    await inTransaction(pool, (client) => storePresence(client, rows));
    return { applied: events.length, duplicates: 0 };
  };
}
