import type { Pool, PoolClient } from 'pg';
import type { Producer } from 'kafkajs';
import type { EventType, DashboardEvent, SourcedEvent } from '@fan/events';
import { businessDate } from '@fan/events';
import { inTransaction } from '@fan/db';
import type { ApplyStep } from '@fan/kafka-runner';
import { ChangeSet, publishChanges } from './changes';
import { claimEvents } from './exactly-once';
import { READS_BY_EVENT_TYPE } from './reads';
import { weekStart } from './week';

/** Writes one chunk of fresh (never applied) events and records which reads they changed. */
export type AggregateStore = (client: PoolClient, fresh: DashboardEvent[], changes: ChangeSet) => Promise<void>;

export interface AggregatorParts {
  /** Also the de-duplication namespace: two aggregators apply the same event independently. */
  name: string;
  types: ReadonlySet<EventType>;
  store: AggregateStore;
  pool: Pool;
  producer: Producer;
  changesTopic: string;
  tz: string;
}

/**
 * The apply step of every aggregator: claim the chunk's event ids and update the aggregates in
 * one transaction (exactly-once in effect), then tell the cache invalidator what changed before
 * the offset is committed. A replayed chunk (crash after commit, before the offset) applies
 * nothing, so it announces its events conservatively: their reads, and for income the whole
 * star-week, since what moved is no longer known.
 */
export function aggregatorApplyStep(p: AggregatorParts): ApplyStep<SourcedEvent> {
  return async (items) => {
    const mine = items.filter((i) => p.types.has(i.event.event_type));
    if (mine.length === 0) return { applied: 0, duplicates: 0 };
    const changes = new ChangeSet();
    const fresh = await inTransaction(p.pool, async (client) => {
      const claimed = await claimEvents(client, p.name, mine);
      await p.store(client, claimed.map((c) => c.event), changes);
      return claimed;
    });
    if (fresh.length < mine.length) {
      const applied = new Set(fresh.map((f) => f.event.event_id));
      for (const { event: e } of mine) {
        if (applied.has(e.event_id)) continue;
        changes.reads(e.star_id, e.user_id, READS_BY_EVENT_TYPE[e.event_type] ?? []);
        if (e.event_type === 'crystal.change') changes.starWeek(e.star_id, e.user_id, weekStart(businessDate(e.occurred_at, p.tz)));
      }
    }
    for (const { event: e } of fresh) changes.reads(e.star_id, e.user_id, READS_BY_EVENT_TYPE[e.event_type] ?? []);
    await publishChanges(p.producer, p.changesTopic, changes);
    return { applied: fresh.length, duplicates: mine.length - fresh.length };
  };
}
