import { Partitioners, type IHeaders, type Kafka } from 'kafkajs';
import { retry } from '@fan/failures';
import { classifyError, DLQ_HEADERS } from '@fan/kafka-runner';

export interface ReplayOptions {
  deadLetterTopic: string;
  groupId: string;
  /** Only records whose reason starts with this (e.g. "unknown schema id"). */
  reasonPrefix?: string;
  /** Only records that came from this topic. */
  originTopic?: string;
  dryRun: boolean;
  /**
   * The group whose committed offsets say where to start (default `groupId`). A dry run reads with
   * a throwaway group from where the real replay group stopped, so it counts what a replay would
   * send, not the whole retained topic.
   */
  startFromGroup?: string;
  /**
   * First with read 0 once the records to read are known (up to the end offsets at start), then
   * after every batch; `read` counts every record passed, whether replayed, skipped or a duplicate.
   */
  onProgress?: (progress: { read: number; total: number; result: ReplayResult }) => void;
}

export interface ReplayResult {
  replayed: number;
  skipped: number;
  /** The same origin record dead-lettered by several consumers is sent back once. */
  duplicates: number;
  byReason: Record<string, number>;
}

const header = (h: IHeaders | undefined, name: string) => h?.[name]?.toString();

/**
 * Sends dead letters back to the topic they came from, with their original key, value and headers,
 * once the cause is fixed. Reads the dead-letter topic up to its end at start time with its own
 * consumer group, so a second run continues after the first. A dry run only counts.
 */
export async function replayDeadLetters(kafka: Kafka, o: ReplayOptions): Promise<ReplayResult> {
  const result: ReplayResult = { replayed: 0, skipped: 0, duplicates: 0, byReason: {} };
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(o.deadLetterTopic)).map((p) => [p.partition, BigInt(p.high)]));
  // Where this group stopped last time (-1: never), so that a run with nothing new ends at once.
  // A brand-new group may briefly have no coordinator yet (NOT_COORDINATOR): retry that.
  const startGroup = o.startFromGroup ?? o.groupId;
  const [committed] = await retry(() => admin.fetchOffsets({ groupId: startGroup, topics: [o.deadLetterTopic] }), {
    retryable: (err) => classifyError(err) === 'transient',
    giveUpAfterMs: 30_000,
    maxDelayMs: 1000,
  });
  const from = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset) < 0n ? 0n : BigInt(p.offset)]));
  if (startGroup !== o.groupId && from.size > 0)
    // The throwaway group starts where the other stopped (it is new, so nothing else is moved).
    await admin.setOffsets({
      groupId: o.groupId,
      topic: o.deadLetterTopic,
      partitions: [...from].map(([partition, offset]) => ({ partition, offset: offset.toString() })),
    });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId: o.groupId, maxWaitTimeInMs: 200 });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: o.deadLetterTopic, fromBeginning: true });
  const seen = new Set<string>();
  const remaining = new Set([...ends].filter(([p, end]) => end > (from.get(p) ?? 0n)).map(([p]) => p));
  // Offsets stay bigint; only the counts (differences) become numbers.
  const total = [...remaining].reduce((n, p) => n + (ends.get(p)! - (from.get(p) ?? 0n)), 0n);
  const position = new Map(from);
  let read = 0n;
  o.onProgress?.({ read: 0, total: Number(total), result });
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  if (remaining.size === 0) finish();

  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const end = ends.get(batch.partition) ?? 0n;
      const out = new Map<string, Array<{ key: Buffer | null; value: Buffer | null; headers: IHeaders }>>();
      let last: string | undefined;
      for (const m of batch.messages) {
        if (BigInt(m.offset) >= end) break;
        last = m.offset;
        const reason = header(m.headers, DLQ_HEADERS.reason) ?? 'unknown';
        const origin = header(m.headers, DLQ_HEADERS.topic);
        const originKey = `${origin}/${header(m.headers, DLQ_HEADERS.partition)}/${header(m.headers, DLQ_HEADERS.offset)}`;
        if (!origin || (o.originTopic && origin !== o.originTopic) || (o.reasonPrefix && !reason.startsWith(o.reasonPrefix))) {
          result.skipped++;
          continue;
        }
        if (seen.has(originKey)) {
          result.duplicates++;
          continue;
        }
        seen.add(originKey);
        result.byReason[reason] = (result.byReason[reason] ?? 0) + 1;
        result.replayed++;
        const headers = Object.fromEntries(Object.entries(m.headers ?? {}).filter(([k]) => !k.startsWith('dlq.'))) as IHeaders;
        const list = out.get(origin) ?? [];
        list.push({ key: m.key, value: m.value, headers });
        out.set(origin, list);
      }
      if (!o.dryRun) for (const [topic, messages] of out) await producer.send({ topic, acks: -1, messages });
      if (last !== undefined && !o.dryRun) {
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
      }
      if (last !== undefined) {
        const next = BigInt(last) + 1n;
        read += next - (position.get(batch.partition) ?? 0n);
        position.set(batch.partition, next);
        o.onProgress?.({ read: Number(read), total: Number(total), result });
      }
      if (last !== undefined && BigInt(last) + 1n >= end) {
        remaining.delete(batch.partition);
        if (remaining.size === 0) finish();
      }
    },
  });
  await finished;
  await consumer.disconnect();
  await producer.disconnect();
  return result;
}
