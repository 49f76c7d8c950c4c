import { Kafka, logLevel, type Admin } from 'kafkajs';
import { topicsFor, type Topics } from '@fan/config';
import { ensureTopics } from '@fan/kafka-runner';
import { stackEnv, uniqueName } from './stack';

export interface TestTopics {
  prefix: string;
  topics: Topics;
  kafka: Kafka;
  admin: Admin;
  cleanup(): Promise<void>;
}

/** Topics with a unique prefix on the real broker; cleanup() deletes them. */
export async function createTestTopics(partitions = 3): Promise<TestTopics> {
  const prefix = uniqueName('t');
  const kafka = new Kafka({ clientId: prefix, brokers: stackEnv().KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = topicsFor(prefix);
  await ensureTopics(admin, topics, partitions);
  return {
    prefix,
    topics,
    kafka,
    admin,
    cleanup: async () => {
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

/** Reads every record of a topic from the beginning until `count` arrived (or times out). */
export async function readTopic(kafka: Kafka, topic: string, count: number, timeoutMs = 30_000) {
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 100 });
  const out: Array<{ partition: number; offset: string; key: Buffer | null; value: Buffer | null; headers: Record<string, string> }> = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
      out.push({ partition, offset: message.offset, key: message.key, value: message.value, headers });
      if (out.length >= count) done();
    },
  });
  const timer = setTimeout(done, timeoutMs);
  await finished;
  clearTimeout(timer);
  await consumer.disconnect();
  return out;
}

/** Deletes the topics (and consumer groups) a test's own processes created; missing ones are fine. */
export async function deleteTopicsOf(prefix: string, groups: string[] = []): Promise<void> {
  const kafka = new Kafka({ clientId: `cleanup-${prefix}`, brokers: stackEnv().KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const mine = Object.values(topicsFor(prefix)).filter((t) => existing.has(t));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine });
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
