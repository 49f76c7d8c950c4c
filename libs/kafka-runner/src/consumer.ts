import { Partitioners, type Consumer, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ConsumerSettings } from '@fan/config';
import type { ConsumerMetrics } from '@fan/observability';
import { processBatch, type ApplyStep, type DecodeStep } from './batch-loop';
import { createDeadLetterSender } from './dead-letter';
import { gather } from './gather';
import { StopRequestedError } from '@fan/failures';
import { PartitionBackoffError } from './partition-backoff';
import { createStallTracker } from './stalls';

export interface RunConsumerParts<T> {
  kafka: Kafka;
  settings: ConsumerSettings;
  decode: DecodeStep<T>;
  apply: ApplyStep<T>;
  logger: Logger;
  metrics: ConsumerMetrics;
  /** Where the stuck-partition gauge is registered. */
  registry?: Registry;
  /** The clock records' ages are measured on (Date.now by default). */
  now?: () => number;
}

export interface RunningConsumer {
  consumer: Consumer;
  producer: Producer;
  /** For /healthz: fails while a partition has been stuck longer than stuckAfterMs. */
  partitionsHealth: () => Promise<void>;
  /** Finishes the batch in hand, commits it, leaves the group and disconnects. */
  stop: () => Promise<void>;
}

/**
 * Wires a kafkajs consumer to the batch loop. Offsets are committed by hand after each chunk is
 * durable (autoCommit off), so a crash at any point replays at most one chunk per partition, which
 * the idempotent apply step absorbs.
 */
export async function runConsumer<T>(parts: RunConsumerParts<T>): Promise<RunningConsumer> {
  const { kafka, settings: s, logger } = parts;
  const consumer = kafka.consumer({
    groupId: s.groupId,
    maxWaitTimeInMs: s.maxWaitMs,
    minBytes: s.minBytes,
    maxBytesPerPartition: s.maxBytesPerPartition,
    sessionTimeout: s.sessionTimeoutMs,
    heartbeatInterval: Math.max(500, Math.floor(s.sessionTimeoutMs / 10)),
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  let running = true;
  const stalls = createStallTracker(parts.registry, s.stuckAfterMs);
  const resumeTimers = new Set<NodeJS.Timeout>();

  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: s.topic, fromBeginning: s.fromBeginning });
  consumer.on(consumer.events.CRASH, (e) => {
    logger.error({ err: e.payload.error, restart: e.payload.restart, groupId: s.groupId }, 'consumer crashed');
    // kafkajs gave up on this consumer: a process that stays up but consumes nothing is worse than
    // one that exits and is restarted by its supervisor, which then resumes from the committed offset.
    if (!e.payload.restart && running) {
      logger.fatal({ groupId: s.groupId }, 'consumer will not restart; exiting');
      process.exit(1);
    }
  });
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    logger.info({ groupId: s.groupId, assignment: e.payload.memberAssignment }, 'joined consumer group');
  });

  // The partitions' commits of one moment go in one request.
  const commitOffsets = gather(
    async (offsets: { topic: string; partition: number; offset: string }[]) => {
      await consumer.commitOffsets(offsets);
      return offsets.map(() => undefined);
    },
    { maxInFlight: 1 },
  );
  const loopParts = {
    decode: parts.decode,
    apply: parts.apply,
    sendDeadLetters: createDeadLetterSender(producer, s.deadLetterTopic, s.topic, s.groupId),
    commit: (partition: number, offset: string) => commitOffsets({ topic: s.topic, partition, offset }),
    maxChunk: s.maxChunk,
    retryInBatchMs: s.retryInBatchMs,
    stalls,
    logger,
    metrics: parts.metrics,
    now: parts.now ?? Date.now,
  };

  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: s.concurrency,
    eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset, pause }) => {
      try {
        await processBatch(batch, { heartbeat, isRunning: () => running && isRunning(), isStale, resolveOffset }, loopParts);
      } catch (err) {
        // Shutting down or losing the partition mid-retry: leave the offset where it is.
        if (err instanceof StopRequestedError) return;
        // One failing partition must not hold the others (kafkajs fetches again only when every
        // batch of a fetch is done): pause it alone; its unresolved records are fetched again.
        if (err instanceof PartitionBackoffError) {
          const resume = pause();
          const timer = setTimeout(() => {
            resumeTimers.delete(timer);
            if (running) resume();
          }, err.delayMs);
          resumeTimers.add(timer);
          return;
        }
        throw err;
      }
    },
  });
  logger.info({ groupId: s.groupId, topic: s.topic }, 'consumer running');

  return {
    consumer,
    producer,
    partitionsHealth: stalls.healthCheck,
    stop: async () => {
      running = false;
      for (const t of resumeTimers) clearTimeout(t);
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}
