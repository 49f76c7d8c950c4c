import type { Admin } from 'kafkajs';
import type { Topics } from '@fan/config';

/** Creates the topics if missing; existing topics are left as they are. */
export async function ensureTopics(admin: Admin, topics: Topics, partitions: number): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const wanted = [
    { topic: topics.events, numPartitions: partitions },
    { topic: topics.changes, numPartitions: partitions },
    { topic: topics.activity, numPartitions: partitions },
    // Dead letters are rare and kept long so that they can be inspected and replayed.
    { topic: topics.deadLetter, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: String(30 * 86400_000) }] },
  ].filter((t) => !existing.has(t.topic));
  if (wanted.length > 0) await admin.createTopics({ topics: wanted, waitForLeaders: true });
}
