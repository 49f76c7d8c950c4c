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
    await new Promise((r) => setTimeout(r, 50));
    expect(results.filter((r) => r.ok)).toHaveLength(1000);
    expect(results[1000]).toEqual({ ok: false, reason: 'buffer full (1000 events waiting for Kafka)' });
    expect(t.stats()).toMatchObject({ buffered: 1000, refused: 19_000, dropped: 0, sent: 0 });
    expect(publisher.calls).toBeGreaterThan(0);
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
