import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { validateEvent, type DashboardEvent } from '@fan/events';
import type { Publisher } from './publisher';

export type TrackResult = { ok: true; event_id: string } | { ok: false; reason: string };

/** What happens when the buffer is full because Kafka is not taking events. */
export type OverflowPolicy = 'fail' | 'drop';

export interface TrackerOptions {
  /** Events held in memory at most; the bound that keeps a broker outage from eating the heap. */
  maxBuffered: number;
  /** Send once this many events wait, or after lingerMs, whichever comes first. */
  batchSize: number;
  lingerMs: number;
  overflow: OverflowPolicy;
  /** Backoff between failed sends. */
  retryInitialMs: number;
  retryMaxMs: number;
  clock?: () => number;
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
  dropped: number;
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
  let buffer: DashboardEvent[] = [];
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let failures = 0;
  const stats = { sent: 0, dropped: 0, failedSends: 0 };
  const waiters: Array<() => void> = [];

  function schedule(delay: number): void {
    if (timer || inFlight) return;
    timer = setTimeout(() => {
      timer = undefined;
      void drain();
    }, delay);
    timer.unref?.();
  }

  async function drain(): Promise<void> {
    if (inFlight) return;
    while (buffer.length > 0) {
      const batch = buffer.slice(0, o.batchSize);
      inFlight = publisher.publish(batch);
      try {
        await inFlight;
        buffer = buffer.slice(batch.length);
        stats.sent += batch.length;
        failures = 0;
      } catch (err) {
        stats.failedSends++;
        failures++;
        const delay = Math.min(o.retryMaxMs, o.retryInitialMs * 2 ** (failures - 1));
        logger.warn({ err: (err as Error).message, buffered: buffer.length, retryInMs: delay }, 'publish failed; events kept for retry');
        inFlight = undefined;
        schedule(delay);
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
      const v = validateEvent(withDefaults, { now: clock() });
      if (!v.ok) return v;
      if (buffer.length >= o.maxBuffered) {
        if (o.overflow === 'drop') stats.dropped++;
        return { ok: false, reason: `buffer full (${o.maxBuffered} events waiting for Kafka)` };
      }
      buffer.push(v.event);
      if (buffer.length >= o.batchSize && !inFlight) void drain();
      else schedule(o.lingerMs);
      return { ok: true, event_id: v.event.event_id };
    },
    flush() {
      if (buffer.length === 0 && !inFlight) return Promise.resolve();
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        if (timer) {
          clearTimeout(timer);
          timer = undefined;
        }
        void drain();
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
