import type { Admin } from 'kafkajs';
import type { DashboardEvent } from './event';

/**
 * Topic layout (docs/ARCHITECTURE.md): every event type shares one topic so that one user's events
 * for one star keep their relative order (a mint before its likes, a start before its end); the key
 * is "<star_id>:<user_id>", so all of them land on one partition.
 */
export interface Topics {
  events: string;
  /** Aggregate changes written by the aggregators for the cache invalidator (JSON, keyed by star). */
  changes: string;
  /** Records any consumer could not decode or validate; the origin topic is in the headers. */
  deadLetter: string;
}

export function topicsFor(prefix: string): Topics {
  return { events: `${prefix}.events`, changes: `${prefix}.changes`, deadLetter: `${prefix}.dlq` };
}

export function eventKey(e: Pick<DashboardEvent, 'star_id' | 'user_id'>): string {
  return `${e.star_id}:${e.user_id}`;
}

/** Creates the topics if missing; existing topics are left as they are. */
export async function ensureTopics(admin: Admin, topics: Topics, partitions: number): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const wanted = [
    { topic: topics.events, numPartitions: partitions },
    { topic: topics.changes, numPartitions: partitions },
    // Dead letters are rare and kept long so that they can be inspected and replayed.
    { topic: topics.deadLetter, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: String(30 * 86400_000) }] },
  ].filter((t) => !existing.has(t.topic));
  if (wanted.length > 0) await admin.createTopics({ topics: wanted, waitForLeaders: true });
}
