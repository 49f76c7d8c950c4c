import type { Batch, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import type { ConsumerMetrics } from '@fan/observability';
import type { DeadLetter, SendDeadLetters } from './dead-letter';
import { StopRequestedError, retryUntilStopped } from './retry';

/**
 * Decode and validate one record; throw an error with `retriable: false` to dead-letter it.
 * May answer synchronously: the loop then makes no promise per record.
 */
export type DecodeStep<T> = (message: KafkaMessage) => T | Promise<T>;

const isPoison = (err: unknown) => !(err instanceof StopRequestedError) && (err as { retriable?: boolean }).retriable === false;

export interface ApplyResult {
  applied: number;
  duplicates: number;
}
/** Make a chunk of records durable (idempotently: a chunk may be applied again after a crash). */
export type ApplyStep<T> = (items: T[], partition: number) => Promise<ApplyResult>;

export interface BatchLoopParts<T> {
  decode: DecodeStep<T>;
  apply: ApplyStep<T>;
  sendDeadLetters: SendDeadLetters;
  /** Moves the committed offset; called only after apply and dead letters are durable. */
  commit: (partition: number, nextOffset: string) => Promise<void>;
  maxChunk: number;
  logger: Logger;
  metrics: ConsumerMetrics;
}

export interface BatchControl {
  isRunning: () => boolean;
  isStale: () => boolean;
  heartbeat: () => Promise<void>;
  resolveOffset: (offset: string) => void;
}

/**
 * One fetched batch of one partition: decode → validate → apply, dead letters beside it, then
 * commit, chunk by chunk. A poison record never blocks the chunk; a transient failure (Postgres or
 * registry down) is retried with backoff and the offset does not move until it succeeds.
 */
export async function processBatch<T>(batch: Batch, ctl: BatchControl, parts: BatchLoopParts<T>): Promise<void> {
  const { topic, partition, messages } = batch;
  const retryOpts = {
    isRunning: () => ctl.isRunning() && !ctl.isStale(),
    onRetry: async (err: unknown, attempt: number, delayMs: number) => {
      parts.metrics.retries.inc({ topic });
      parts.logger.warn({ topic, partition, err: (err as Error).message, attempt, delayMs }, 'transient failure, retrying');
      await ctl.heartbeat().catch(() => undefined);
    },
  };
  for (let start = 0; start < messages.length; start += parts.maxChunk) {
    if (!ctl.isRunning() || ctl.isStale()) return;
    const chunk = messages.slice(start, start + parts.maxChunk);
    const good: T[] = [];
    const dead: DeadLetter[] = [];
    for (const message of chunk) {
      try {
        const first = parts.decode(message);
        good.push(first instanceof Promise ? await first : first);
      } catch (err) {
        if (isPoison(err)) {
          dead.push({ message, partition, reason: (err as Error).message });
          continue;
        }
        // Transient (registry unreachable): wait for it; the offset does not move meanwhile.
        try {
          good.push(await retryUntilStopped(async () => parts.decode(message), retryOpts));
        } catch (again) {
          if (!isPoison(again)) throw again;
          dead.push({ message, partition, reason: (again as Error).message });
        }
      }
    }
    parts.metrics.consumed.inc({ topic }, chunk.length);

    if (good.length > 0) {
      const end = parts.metrics.applySeconds.startTimer({ topic });
      const r = await retryUntilStopped(() => parts.apply(good, partition), retryOpts);
      end();
      parts.metrics.applied.inc({ topic }, r.applied);
      parts.metrics.duplicates.inc({ topic }, r.duplicates);
      parts.metrics.batchSize.observe({ topic }, good.length);
    }
    if (dead.length > 0) {
      await retryUntilStopped(() => parts.sendDeadLetters(dead), retryOpts);
      for (const d of dead) {
        parts.metrics.deadLettered.inc({ topic, reason: d.reason.split(':')[0]?.slice(0, 60) ?? 'unknown' });
        parts.logger.warn({ topic, partition, offset: d.message.offset, reason: d.reason }, 'record sent to dead-letter topic');
      }
    }

    const last = chunk[chunk.length - 1] as KafkaMessage;
    const next = (BigInt(last.offset) + 1n).toString();
    await retryUntilStopped(() => parts.commit(partition, next), retryOpts);
    ctl.resolveOffset(last.offset);
    parts.metrics.lag.set({ topic, partition: String(partition) }, Number(BigInt(batch.highWatermark) - BigInt(next)));
    await ctl.heartbeat();
  }
}
