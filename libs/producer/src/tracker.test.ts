import pino from 'pino';
import type { DashboardEvent } from '@fan/events';
import type { Publisher } from './publisher';
import { createTracker } from './tracker';

const event = (i: number) => ({
  event_id: `e${i}`,
  event_type: 'crystal.change',
  user_id: '1',
  star_id: '2',
  properties: { amount: 1, balance_after: i, reason: 'r' },
});

/** A broker that is down: every send waits `ms` and then fails. */
function downPublisher(ms = 5): Publisher & { calls: number } {
  const p = {
    calls: 0,
    publish: async () => {
      p.calls++;
      await new Promise((r) => setTimeout(r, ms));
      throw new Error('broker unavailable');
    },
    close: async () => undefined,
  };
  return p;
}

describe('tracker under a broker outage', () => {
  const logger = pino({ level: 'silent' });

  it("'fail' keeps at most maxBuffered events and refuses the rest without throwing", async () => {
    jest.useFakeTimers();
    // The backoff's jitter at its top (each wait the full step), so that the schedule below is exact.
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.999_999);
    try {
      const publisher = downPublisher();
      const t = createTracker(publisher, logger, {
        maxBuffered: 1000,
        batchSize: 100,
        lingerMs: 1,
        overflow: 'fail',
        retryInitialMs: 5,
        retryMaxMs: 20,
      });
      const results = Array.from({ length: 20_000 }, (_, i) => t.track(event(i)));
      await jest.advanceTimersByTimeAsync(49);
      expect(results.filter((r) => r.ok)).toHaveLength(1000);
      expect(results[1000]).toEqual({ ok: false, reason: 'buffer full (1000 events waiting for Kafka)', full: true });
      expect(t.stats()).toMatchObject({ buffered: 1000, refused: 19_000, dropped: 0, sent: 0, failedSends: 3 });
      // Sends at 0 ms (the first full batch), then after each 5 ms failure and 5, 10, 20 ms of backoff: 10, 25, 50.
      expect(publisher.calls).toBe(3);
    } finally {
      random.mockRestore();
      jest.useRealTimers();
    }
  });

  it("'drop-oldest' keeps the newest maxBuffered events and counts the evicted ones", () => {
    let dropped = 0;
    const t = createTracker(downPublisher(), logger, {
      maxBuffered: 500,
      batchSize: 100,
      lingerMs: 1,
      overflow: 'drop-oldest',
      onDrop: () => dropped++,
    });
    for (let i = 0; i < 5000; i++) expect(t.track(event(i)).ok).toBe(true);
    expect(t.stats()).toMatchObject({ buffered: 500, dropped: 4500 });
    expect(dropped).toBe(4500);
  });

  it('delivers everything buffered once the broker is back, in order', async () => {
    let up = false;
    const got: string[] = [];
    const publisher: Publisher = {
      publish: async (events: readonly DashboardEvent[]) => {
        if (!up) throw new Error('down');
        got.push(...events.map((e) => e.event_id));
      },
      close: async () => undefined,
    };
    const t = createTracker(publisher, logger, { maxBuffered: 1000, batchSize: 50, lingerMs: 1, retryInitialMs: 5, retryMaxMs: 10 });
    for (let i = 0; i < 300; i++) t.track(event(i));
    await new Promise((r) => setTimeout(r, 30));
    up = true;
    await t.flush();
    expect(got).toEqual(Array.from({ length: 300 }, (_, i) => `e${i}`));
    expect(t.stats()).toMatchObject({ buffered: 0, sent: 300 });
  });

  it('reports invalid events to the caller instead of throwing', () => {
    const t = createTracker(downPublisher(), logger);
    expect(t.track({ event_type: 'nope' })).toEqual({ ok: false, reason: expect.stringMatching(/^event_type must be one of/) });
  });

  it('answers a circular properties object with a reason, never a throw', async () => {
    const t = createTracker(downPublisher(), logger, { maxBuffered: 10, overflow: 'fail' });
    const reason: Record<string, unknown> = {};
    reason.loop = reason;
    expect(t.track({ ...event(1), properties: { amount: 1, balance_after: 1, reason } })).toEqual({
      ok: false,
      reason: 'properties must be plain JSON data (no cycles)',
    });
    await t.close().catch(() => undefined);
  });
});

/**
 * The outage that found the bug: 49 sends in 500 ms with a 1,000 ms initial backoff, because a
 * full batch sent at once whether or not the tracker was backing off. Fake timers make the
 * schedule exact: every millisecond 20 events are tracked (20,000 a second).
 */
describe('tracker backoff while the buffer is full', () => {
  const logger = pino({ level: 'silent' });
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** A broker that fails every send after 5 ms while `up` is false; records what it took when up. */
  function flakyPublisher() {
    const p = {
      up: false,
      attempts: 0,
      got: [] as string[],
      publish: async (events: readonly DashboardEvent[]) => {
        p.attempts++;
        await new Promise((r) => setTimeout(r, 5));
        if (!p.up) throw new Error('broker unavailable');
        p.got.push(...events.map((e) => e.event_id));
      },
      close: async () => undefined,
    };
    return p;
  }

  /** Tracks `perMs` events every millisecond for `ms` milliseconds; returns how many were accepted. */
  async function trackFor(t: ReturnType<typeof createTracker>, ms: number, perMs: number, from = 0) {
    const ok: string[] = [];
    let i = from;
    for (let step = 0; step < ms; step++) {
      for (let k = 0; k < perMs; k++) {
        const r = t.track(event(i++));
        if (r.ok) ok.push(r.event_id);
      }
      await jest.advanceTimersByTimeAsync(1);
    }
    return ok;
  }

  it.each(['fail', 'drop-oldest'] as const)(
    "'%s': 500 ms of tracking at 20,000 events/s with a 1,000 ms initial backoff makes exactly 1 send",
    async (overflow) => {
      const publisher = flakyPublisher();
      const t = createTracker(publisher, logger, { maxBuffered: 1000, batchSize: 100, lingerMs: 1, overflow, retryInitialMs: 1000 });
      const accepted = await trackFor(t, 500, 20);
      expect(publisher.attempts).toBe(1);
      expect(t.stats()).toEqual({
        buffered: 1000,
        sent: 0,
        failedSends: 1,
        refused: overflow === 'fail' ? 9000 : 0,
        dropped: overflow === 'drop-oldest' ? 9000 : 0,
      });
      expect(accepted).toHaveLength(overflow === 'fail' ? 1000 : 10_000);
    },
  );

  it('follows the backoff schedule exactly: sends at 1, 106, 311, 716 and 1,121 ms over 1,200 ms of tracking', async () => {
    const publisher = flakyPublisher();
    const at: number[] = [];
    const start = Date.now();
    const publish = publisher.publish;
    publisher.publish = (events) => {
      at.push(Date.now() - start);
      return publish(events);
    };
    const t = createTracker(publisher, logger, {
      maxBuffered: 1000,
      batchSize: 100,
      lingerMs: 1,
      overflow: 'drop-oldest',
      retryInitialMs: 100,
      retryMaxMs: 400,
    });
    // The backoff's jitter at its top (each wait the full step), so that the schedule is exact.
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.999_999);
    await trackFor(t, 1200, 20).finally(() => random.mockRestore());
    // The first send when the 1 ms linger ends; each send fails 5 ms later and waits 100, 200, 400
    // (the maximum), 400 ms, however full the buffer is meanwhile.
    expect(at).toEqual([1, 106, 311, 716, 1121]);
    expect(t.stats().failedSends).toBe(5);
  });

  it.each([
    ['fail', 1000],
    ['drop-oldest', 1000],
  ] as const)("'%s': once the broker is back, every event still buffered is published exactly once, in order", async (overflow, kept) => {
    const publisher = flakyPublisher();
    const t = createTracker(publisher, logger, { maxBuffered: 1000, batchSize: 100, lingerMs: 1, overflow, retryInitialMs: 1000 });
    const accepted = await trackFor(t, 500, 20);
    const attemptsInOutage = publisher.attempts;
    publisher.up = true;
    const flushed = t.flush();
    await jest.advanceTimersByTimeAsync(1000);
    await flushed;
    // 'fail' kept the first 1,000 events and refused the rest; 'drop-oldest' the last 1,000.
    const expected = overflow === 'fail' ? accepted : accepted.slice(-kept);
    expect(publisher.got).toEqual(expected);
    expect(new Set(publisher.got).size).toBe(kept);
    // The retry after the first failure, then one send per remaining batch of 100.
    expect(publisher.attempts - attemptsInOutage).toBe(kept / 100);
    expect(t.stats()).toMatchObject({ buffered: 0, sent: kept, failedSends: 1 });
  });
});
