import type { Admin } from 'kafkajs';
import type { Topics } from '@fan/config';
import { retry } from '@fan/failures';
import { classifyError } from './classify';

class NoLeaderYet extends Error {}

/** Creates the topics if missing; existing topics are left as they are. */
export async function ensureTopics(admin: Admin, topics: Topics, partitions: number): Promise<void> {
  const existing = new Set(await admin.listTopics());
  // Records stamped by the broker on append, not by their producer: freshness (record age) is then
  // measured from one clock whatever the producers' hosts think the time is (a Java service, the
  // ingest, an aggregator on a host whose clock is hours off).
  const appendTime = [{ name: 'message.timestamp.type', value: 'LogAppendTime' }];
  const wanted = [
    { topic: topics.events, numPartitions: partitions, configEntries: appendTime },
    { topic: topics.changes, numPartitions: partitions, configEntries: appendTime },
    { topic: topics.activity, numPartitions: partitions, configEntries: appendTime },
    // Dead letters are rare and kept long so that they can be inspected and replayed.
    { topic: topics.deadLetter, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: String(30 * 86400_000) }] },
  ].filter((t) => !existing.has(t.topic));
  if (wanted.length === 0) return;
  // Not kafkajs's waitForLeaders: on a cluster it asks one broker, which may not know the new topic
  // yet, and gives up on UNKNOWN_TOPIC_OR_PARTITION. Ask until every partition has a leader.
  await admin.createTopics({ topics: wanted, waitForLeaders: false });
  await waitForLeaders(
    admin,
    wanted.map((t) => t.topic),
  );
}

async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  await retry(
    async () => {
      const md = await admin.fetchTopicMetadata({ topics });
      if (!md.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)))
        throw new NoLeaderYet(`topics ${topics.join(', ')} have no leader after ${timeoutMs} ms`);
    },
    {
      // A topic just created has no leader for a moment; kafkajs says which of its own errors pass.
      retryable: (err) => err instanceof NoLeaderYet || classifyError(err) === 'transient',
      giveUpAfterMs: timeoutMs,
      initialDelayMs: 50,
      maxDelayMs: 1000,
    },
  );
}
