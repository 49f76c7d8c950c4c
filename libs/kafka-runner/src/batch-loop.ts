import type { Batch, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import type { ConsumerMetrics } from '@fan/observability';
import { classifyError, faultLabel } from './classify';
import type { DeadLetter, SendDeadLetters } from './dead-letter';
import { backoffDelay, StopRequestedError } from '@fan/failures';
import { PartitionBackoffError } from './partition-backoff';
import type { StallTracker } from './stalls';

/**
 * Decode and validate one record; throw an error that classifies as poison (a PoisonRecordError
 * of @fan/failures) to dead-letter it. May answer synchronously: the loop then makes no promise per record.
 */
export type DecodeStep<T> = (message: KafkaMessage) => T | Promise<T>;

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
  /** Longest a failing step is retried inside one batch before the partition is paused instead. */
  retryInBatchMs: number;
  stalls: StallTracker;
  logger: Logger;
  metrics: ConsumerMetrics;
  /** The clock of records' ages: the reference-corrected one when this host's may be off. */
  now: () => number;
}

export interface BatchControl {
  isRunning: () => boolean;
  isStale: () => boolean;
  heartbeat: () => Promise<void>;
  resolveOffset: (offset: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isControl = (err: unknown) => err instanceof StopRequestedError || err instanceof PartitionBackoffError;
const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * One fetched batch of one partition: decode → validate → apply, dead letters beside it, then
 * commit, chunk by chunk. What a failure means is decided by classifyError alone:
 * - poison: that record goes to the dead-letter topic with its reason; when apply refuses a chunk,
 *   the chunk is halved until the one record it refuses is found, and the rest is applied;
 * - transient or unknown: retried with backoff for up to retryInBatchMs, then the batch gives up
 *   with PartitionBackoffError so that the consumer pauses this partition alone (the others keep
 *   moving) and fetches the same records again later. The offset never moves past unapplied work.
 */
export async function processBatch<T>(batch: Batch, ctl: BatchControl, parts: BatchLoopParts<T>): Promise<void> {
  const { topic, partition, messages } = batch;
  const running = () => ctl.isRunning() && !ctl.isStale();
  const started = Date.now();

  /** Runs a step until it succeeds; poison errors go back to the caller, which owns the record. */
  async function retrying<R>(what: string, fn: () => Promise<R> | R): Promise<R> {
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        if (isControl(err)) throw err;
        const kind = classifyError(err);
        if (kind === 'poison') throw err;
        parts.stalls.failed(topic, partition, err);
        const delay = backoffDelay(parts.stalls.attempts(topic, partition));
        parts.metrics.retries.inc({ topic });
        parts.logger.warn({ topic, partition, step: what, kind, code: faultLabel(err), err, delayMs: delay }, `${kind} failure, retrying`);
        if (!running()) throw new StopRequestedError();
        if (Date.now() - started + delay > parts.retryInBatchMs) throw new PartitionBackoffError(delay);
        await sleep(delay);
        await ctl.heartbeat().catch(() => undefined);
        if (!running()) throw new StopRequestedError();
      }
    }
  }

  /** Applies items[from, to); a refused record is isolated by halving and dead-lettered alone. */
  async function applyIsolating(items: T[], msgs: KafkaMessage[], dead: DeadLetter[]): Promise<ApplyResult> {
    try {
      return await retrying('apply', () => parts.apply(items, partition));
    } catch (err) {
      if (isControl(err)) throw err;
      if (items.length === 1) {
        dead.push({ message: msgs[0] as KafkaMessage, partition, reason: `apply refused (${faultLabel(err)}): ${reasonOf(err)}` });
        return { applied: 0, duplicates: 0 };
      }
      const mid = items.length >> 1;
      const left = await applyIsolating(items.slice(0, mid), msgs.slice(0, mid), dead);
      const right = await applyIsolating(items.slice(mid), msgs.slice(mid), dead);
      return { applied: left.applied + right.applied, duplicates: left.duplicates + right.duplicates };
    }
  }

  for (let start = 0; start < messages.length; start += parts.maxChunk) {
    if (!running()) return;
    const chunk = messages.slice(start, start + parts.maxChunk);
    const good: T[] = [];
    const goodMessages: KafkaMessage[] = [];
    const dead: DeadLetter[] = [];
    for (const message of chunk) {
      try {
        const first = parts.decode(message);
        good.push(first instanceof Promise ? await first : first);
        goodMessages.push(message);
      } catch (err) {
        if (isControl(err)) throw err;
        if (classifyError(err) === 'poison') {
          dead.push({ message, partition, reason: reasonOf(err) });
          continue;
        }
        // Transient (registry unreachable): wait for it; the offset does not move meanwhile.
        try {
          good.push(await retrying('decode', () => parts.decode(message)));
          goodMessages.push(message);
        } catch (again) {
          if (isControl(again)) throw again;
          dead.push({ message, partition, reason: reasonOf(again) });
        }
      }
    }
    parts.metrics.consumed.inc({ topic }, chunk.length);

    if (good.length > 0) {
      const end = parts.metrics.applySeconds.startTimer({ topic });
      const r = await applyIsolating(good, goodMessages, dead);
      end();
      parts.metrics.applied.inc({ topic }, r.applied);
      parts.metrics.duplicates.inc({ topic }, r.duplicates);
      parts.metrics.batchSize.observe({ topic }, good.length);
    }
    if (dead.length > 0) {
      await retrying('dead-letter', () => parts.sendDeadLetters(dead));
      for (const d of dead) {
        parts.metrics.deadLettered.inc({ topic, reason: d.reason.split(':')[0]?.slice(0, 60) ?? 'unknown' });
        parts.logger.warn({ topic, partition, offset: d.message.offset, reason: d.reason }, 'record sent to dead-letter topic');
      }
    }

    const last = chunk[chunk.length - 1] as KafkaMessage;
    const next = (BigInt(last.offset) + 1n).toString();
    await retrying('commit', () => parts.commit(partition, next));
    parts.stalls.recovered(topic, partition);
    ctl.resolveOffset(last.offset);
    parts.metrics.lag.set({ topic, partition: String(partition) }, Number(BigInt(batch.highWatermark) - BigInt(next)));
    parts.metrics.recordAge.observe({ topic }, Math.max(0, parts.now() - Number(last.timestamp)) / 1000);
    await ctl.heartbeat();
  }
}
