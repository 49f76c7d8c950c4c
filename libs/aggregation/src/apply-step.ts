import type { Pool, PoolClient } from 'pg';
import type { Producer } from 'kafkajs';
import type { DashboardEvent, EventType, SourcedEvent } from '@fan/events';
import { inTransaction } from '@fan/db';
import type { ApplyStep } from '@fan/kafka-runner';
import { ChangeSet, READS_BY_EVENT_TYPE } from '@fan/read-contract';
import { claimEvents } from './exactly-once';
import { publishChanges } from './publish-changes';

/** Settings an aggregate's own code may need, from the process's config (parsed once). */
export interface AggregateContext {
  /** Business time zone (BUSINESS_TZ). */
  tz: string;
}

/** Writes one chunk of fresh (never applied) events and records which reads they changed. */
export type AggregateStore = (client: PoolClient, fresh: DashboardEvent[], changes: ChangeSet, ctx: AggregateContext) => Promise<void>;

/**
 * What an aggregator announces for an event of a replayed chunk (applied before, crash before its
 * change record): beyond the event's own reads, whatever else it may have moved.
 */
export type AnnounceReplayed = (event: DashboardEvent, changes: ChangeSet, ctx: AggregateContext) => void;

/** An aggregator's own rule: the event types it applies and how. */
export interface AggregateRule {
  /** Also the de-duplication namespace: two aggregators apply the same event independently. */
  name: string;
  types: ReadonlySet<EventType>;
  store: AggregateStore;
  replayed?: AnnounceReplayed;
}

export interface AggregatorParts {
  rule: AggregateRule;
  ctx: AggregateContext;
  pool: Pool;
  producer: Producer;
  changesTopic: string;
}

/**
 * The apply step of every aggregator: claim the chunk's event ids and update the aggregates in
 * one transaction (exactly-once in effect), then tell the cache invalidator what changed before
 * the offset is committed. A replayed chunk (crash after commit, before the offset) applies
 * nothing, so it announces its events conservatively: their reads, and what the rule's `replayed`
 * adds (income: the whole star-week, since what moved is no longer known).
 */
export function aggregatorApplyStep({ rule, ctx, pool, producer, changesTopic }: AggregatorParts): ApplyStep<SourcedEvent> {
  return async (items) => {
    const mine = items.filter((i) => rule.types.has(i.event.event_type));
    if (mine.length === 0) return { applied: 0, duplicates: 0 };
    const changes = new ChangeSet();
    const fresh = await inTransaction(pool, async (client) => {
      const claimed = await claimEvents(client, rule.name, mine);
      await rule.store(
        client,
        claimed.map((c) => c.event),
        changes,
        ctx,
      );
      return claimed;
    });
    if (fresh.length < mine.length) {
      const applied = new Set(fresh.map((f) => f.event.event_id));
      for (const { event: e } of mine) {
        if (applied.has(e.event_id)) continue;
        changes.reads(e.star_id, e.user_id, READS_BY_EVENT_TYPE[e.event_type] ?? []);
        rule.replayed?.(e, changes, ctx);
      }
    }
    for (const { event: e } of fresh) changes.reads(e.star_id, e.user_id, READS_BY_EVENT_TYPE[e.event_type] ?? []);
    await publishChanges(producer, changesTopic, changes);
    return { applied: fresh.length, duplicates: mine.length - fresh.length };
  };
}
