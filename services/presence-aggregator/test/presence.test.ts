import { validateActivityEvent, type ActivityEvent } from '@fan/events';
import { createTestPipeline, uniqueName, waitFor, type TestPipeline } from '@fan/test-support';

let n = 0;
const ev = (type: string, at: string, o: Record<string, unknown> = {}): ActivityEvent => {
  const v = validateActivityEvent({ event_id: `p-${++n}`, event_type: type, install_id: 'dev-a', occurred_at: at, ...o });
  if (!v.ok) throw new Error(v.reason);
  return v.event;
};

/** The presence aggregator process on the real stack: exact, idempotent, order-independent. */
describe('presence aggregator', () => {
  let p: TestPipeline;
  beforeAll(async () => {
    p = await createTestPipeline('presence', 3);
    p.start('presence-aggregator', {
      PRESENCE_AGG_GROUP_ID: uniqueName('presence'),
      PRESENCE_AGG_HEALTH_PORT: '0',
      PRESENCE_AGG_BATCH_MAX: '3',
    });
  });
  afterAll(async () => {
    await p.stop();
  });

  it('counts daily active identities and places exactly, whatever the order, duplicates included', async () => {
    const events = [
      ev('app.session_start', '2026-11-24T23:59:59.999+08:00', { properties: { province: 'Guangdong', city: 'Shenzhen' } }),
      ev('app.session_start', '2026-11-25T00:00:00.000+08:00', { properties: { province: 'Guangdong', city: 'Shenzhen' } }),
      ev('app.session_start', '2026-11-25T09:00:00+08:00', { properties: { province: 'Guangdong', city: 'Guangzhou' } }), // same identity, second city
      ev('app.session_start', '2026-11-25T09:05:00+08:00', {
        user_id: '1234567890123456789',
        properties: { province: 'Guangdong', city: 'Guangzhou' },
      }), // signed in later: a second identity
      ev('app.session_start', '2026-11-25T10:00:00+08:00', { install_id: 'dev-b', properties: { province: 'Beijing', city: 'Beijing' } }),
      ev('presence.heartbeat', '2026-11-25T10:01:00+08:00', { install_id: 'dev-b' }),
      ev('app.session_end', '2026-11-25T10:02:00+08:00', { install_id: 'dev-b' }),
    ];
    // Reversed, and every event twice (a producer retry re-sends the same event_id).
    await p.publisher.publish([...events].reverse());
    await p.publisher.publish(events);
    const read = async () => ({
      counts: (await p.db.pool.query<{ day: string; dau: string }>('SELECT day::text, dau::text FROM presence_daily_counts ORDER BY day'))
        .rows,
      geo: (
        await p.db.pool.query<{ g: string }>(
          "SELECT day::text || ' ' || kind || ' ' || name || ' ' || count AS g FROM presence_daily_geo_counts ORDER BY 1",
        )
      ).rows.map((r) => r.g),
      activity: (await p.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM presence_activity')).rows[0]!.n,
    });
    const got = await waitFor(
      'applied',
      async () => {
        const r = await read();
        return r.activity === 7 && r.counts.length === 2 ? r : undefined;
      },
      60_000,
      200,
    );
    expect(got.counts).toEqual([
      { day: '2026-11-24', dau: '1' },
      { day: '2026-11-25', dau: '3' },
    ]);
    expect(got.geo).toEqual([
      '2026-11-24 city Shenzhen 1',
      '2026-11-24 province Guangdong 1',
      '2026-11-25 city Beijing 1',
      '2026-11-25 city Guangzhou 2',
      '2026-11-25 city Shenzhen 1',
      '2026-11-25 province Beijing 1',
      '2026-11-25 province Guangdong 2',
    ]);
    // Each identity's latest event, whatever the arrival order: the same as recomputed from all events.
    const latest = await p.db.pool.query<{ same: boolean; n: number }>(
      `SELECT count(*)::int AS n, bool_and(l.event_id = x.event_id AND l.ended = x.ended) AS same FROM presence_latest l
       JOIN (SELECT DISTINCT ON (identity) identity, event_id, ended FROM presence_activity ORDER BY identity, occurred_at DESC, event_id DESC) x USING (identity)`,
    );
    expect(latest.rows[0]).toEqual({ n: 3, same: true });
    // Replaying everything again changes nothing.
    await p.publisher.publish(events);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await read()).toEqual(got);
  });
});
