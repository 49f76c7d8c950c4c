import type { Pool, PoolClient } from 'pg';
import type { Producer } from 'kafkajs';
import type { DashboardEvent, EventType, SourcedEvent } from '@fan/events';
import { inTransaction } from '@fan/db';
import type { ApplyChunksStep } from '@fan/kafka-runner';
import { ChangeSet, type ReadName } from '@fan/read-contract';
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
  /** Its manifest name; also the de-duplication namespace: two aggregators apply the same event independently. */
  name: string;
  types: ReadonlySet<EventType>;
  /** The reads each event type changes, as the aggregator's manifest entry declares them (`announces`). */
  announces: ReadonlyMap<string, readonly ReadName[]>;
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
 * The apply step of every aggregator, over the chunks partitions hand in together: claim their
 * event ids and update the aggregates in one transaction (exactly-once in effect), then tell the
 * cache invalidator what changed, in one send, before the offsets are committed. A replayed chunk
 * (crash after commit, before the offset) applies nothing, so it announces its events
 * conservatively: their reads, and what the rule's `replayed` adds (income: the whole star-week,
 * since what moved is no longer known).
 */
export function aggregatorApplyChunks({ rule, ctx, pool, producer, changesTopic }: AggregatorParts): ApplyChunksStep<SourcedEvent> {
  return async (chunks) => {
    const mine: SourcedEvent[] = [];
    for (const c of chunks) for (const i of c.items) if (rule.types.has(i.event.event_type)) mine.push(i);
    if (mine.length === 0) return chunks.map(() => ({ applied: 0, duplicates: 0 }));
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
    const applied = new Set<string>();
    for (const { event: e } of fresh) {
      applied.add(e.event_id);
      changes.reads(e.star_id, e.user_id, rule.announces.get(e.event_type) ?? []);
    }
    if (fresh.length < mine.length) {
      for (const { event: e } of mine) {
        if (applied.has(e.event_id)) continue;
        changes.reads(e.star_id, e.user_id, rule.announces.get(e.event_type) ?? []);
        rule.replayed?.(e, changes, ctx);
      }
    }
    await publishChanges(producer, changesTopic, changes);
    // Each chunk's own counts, for its metrics (an id claimed once counts once).
    return chunks.map((c) => {
      let n = 0;
      let dup = 0;
      for (const { event: e } of c.items) {
        if (!rule.types.has(e.event_type)) continue;
        if (applied.delete(e.event_id)) n++;
        else dup++;
      }
      return { applied: n, duplicates: dup };
    });
  };
}
