import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { validateAnyEvent, type AnyEvent } from '@fan/events';
import { backoffDelay } from '@fan/failures';
import type { Publisher } from './publisher';

/** `full`: refused only because the buffer is full (Kafka is behind): the caller may wait and track it again. */
export type TrackResult = { ok: true; event_id: string } | { ok: false; reason: string; full?: true };

/**
 * What track() does when the buffer is full because Kafka is not taking events:
 * - 'fail': refuse the new event (`{ ok: false, reason: 'buffer full …' }`); the caller decides.
 * - 'drop-oldest': drop the oldest waiting event (counted in stats and metrics) and keep the new one.
 * A caller that would rather wait (a batch job) awaits `flush()` and tracks again, as the NDJSON
 * command does. Memory stays bounded by `maxBuffered` under every policy.
 */
export type OverflowPolicy = 'fail' | 'drop-oldest';

export interface TrackerOptions {
  /** Events held in memory at most; the bound that keeps a broker outage from eating the heap. */
  maxBuffered: number;
  /** Send once this many events wait, or after lingerMs, whichever comes first. */
  batchSize: number;
  lingerMs: number;
  overflow: OverflowPolicy;
  /** Backoff between failed sends; nothing is sent meanwhile, however full the buffer gets. */
  retryInitialMs: number;
  retryMaxMs: number;
  clock?: () => number;
  /** Called for each evicted event (wire a metric here). */
  onDrop?: () => void;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = {
  maxBuffered: 10_000,
  batchSize: 500,
  lingerMs: 20,
  overflow: 'fail',
  retryInitialMs: 200,
  retryMaxMs: 10_000,
};

export interface TrackerStats {
  buffered: number;
  sent: number;
  /** Events evicted under 'drop-oldest'. */
  dropped: number;
  /** track() calls refused under 'fail'. */
  refused: number;
  failedSends: number;
}

export interface Tracker {
  /** Never throws and never waits on Kafka: validates, buffers, and answers at once. */
  track(input: Record<string, unknown>): TrackResult;
  /** Resolves when everything tracked so far is acknowledged by Kafka. */
  flush(): Promise<void>;
  /** flush, then stop; track() afterwards fails with a reason. */
  close(): Promise<void>;
  stats(): TrackerStats;
}

/**
 * The producer library's face for business services (CONTRACT §2): track(event) fills event_id
 * and occurred_at when absent, validates, and batches; sending and retrying happen in the
 * background so the caller's request path never blocks on, or crashes from, the broker.
 */
export function createTracker(publisher: Publisher, logger: Logger, opts: Partial<TrackerOptions> = {}): Tracker {
  const o = { ...DEFAULT_TRACKER_OPTIONS, ...opts };
  const clock = o.clock ?? Date.now;
  let buffer: AnyEvent[] = [];
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  /** A failed send's retry is pending: nothing but its timer sends, however full the buffer. */
  let backingOff = false;
  let closed = false;
  let failures = 0;
  const stats = { sent: 0, dropped: 0, refused: 0, failedSends: 0 };
  const waiters: Array<() => void> = [];

  function schedule(delay: number): void {
    if (timer || inFlight) return;
    timer = setTimeout(() => {
      timer = undefined;
      void drain();
    }, delay);
    timer.unref?.();
  }

  // Replaces a pending linger timer: during an outage that timer (or a full batch, or flush) would
  // otherwise send again at once, one attempt per track() call instead of one per backoff step.
  function backOff(delay: number): void {
    if (timer) clearTimeout(timer);
    backingOff = true;
    timer = setTimeout(() => {
      timer = undefined;
      backingOff = false;
      void drain();
    }, delay);
    timer.unref?.();
  }

  /** A full batch or a flush: send at once, unless a send is in flight or a backoff is pending. */
  function sendNow(): void {
    if (backingOff || inFlight) return;
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    void drain();
  }

  async function drain(): Promise<void> {
    if (inFlight) return;
    while (buffer.length > 0) {
      const batch = buffer.slice(0, o.batchSize);
      inFlight = publisher.publish(batch);
      try {
        await inFlight;
        // Only shifts (drops) and pushes happened meanwhile: what is left of the batch is at the front.
        const done = new Set(batch);
        let i = 0;
        while (i < buffer.length && done.has(buffer[i] as AnyEvent)) i++;
        buffer = buffer.slice(i);
        stats.sent += batch.length;
        failures = 0;
      } catch (err) {
        stats.failedSends++;
        failures++;
        const delay = backoffDelay(failures, o.retryInitialMs, o.retryMaxMs);
        logger.warn(
          { err, buffered: buffer.length, dropped: stats.dropped, refused: stats.refused, retryInMs: delay },
          'publish failed; events kept for retry',
        );
        inFlight = undefined;
        backOff(delay);
        return;
      } finally {
        inFlight = undefined;
      }
    }
    while (waiters.length > 0) waiters.shift()?.();
  }

  return {
    track(input) {
      if (closed) return { ok: false, reason: 'tracker is closed' };
      const withDefaults = {
        ...input,
        event_id: input.event_id ?? randomUUID(),
        occurred_at: input.occurred_at ?? clock(),
      };
      const v = validateAnyEvent(withDefaults, { now: clock() });
      if (!v.ok) return v;
      if (buffer.length >= o.maxBuffered) {
        if (o.overflow === 'fail') {
          stats.refused++;
          return { ok: false, reason: `buffer full (${o.maxBuffered} events waiting for Kafka)`, full: true };
        }
        // The oldest event may be in the batch being sent; dropping it from the buffer is still
        // right: a send that then succeeds only removes what it sent.
        buffer.shift();
        stats.dropped++;
        o.onDrop?.();
      }
      buffer.push(v.event);
      if (buffer.length >= o.batchSize) sendNow();
      else schedule(o.lingerMs);
      return { ok: true, event_id: v.event.event_id };
    },
    flush() {
      if (buffer.length === 0 && !inFlight) return Promise.resolve();
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        // While backing off, the retry timer sends; flush only waits for it.
        sendNow();
      });
    },
    async close() {
      closed = true;
      await this.flush();
      if (timer) clearTimeout(timer);
    },
    stats: () => ({ buffered: buffer.length, ...stats }),
  };
}
