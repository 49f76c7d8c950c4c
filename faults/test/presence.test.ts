import { businessDate, identityOf, validateActivityEvent, type ActivityEvent } from '@fan/events';
import { createTestPipeline, uniqueName, waitFor } from '@fan/test-support';

const TZ = 'Asia/Shanghai';

/** A day and a half of app activity for 2,000 installs, with ~3 % of events published twice. */
function load(): ActivityEvent[] {
  const out: ActivityEvent[] = [];
  const base = Date.parse('2026-11-24T12:00:00+08:00');
  for (let i = 0; i < 12_000; i++) {
    const install = `f-${(i * 7919) % 2000}`;
    const at = base + ((i * 104_729) % (36 * 3_600_000));
    const type = i % 10 === 0 ? 'app.session_start' : i % 10 === 9 ? 'app.session_end' : 'presence.heartbeat';
    const v = validateActivityEvent({
      event_id: `fp-${i}`,
      event_type: type,
      install_id: install,
      occurred_at: at,
      ...(i % 4 === 0 ? { user_id: String(1_000_000 + ((i * 13) % 700)) } : {}),
      properties:
        type === 'app.session_start'
          ? { province: ['Guangdong', 'Beijing', 'Zhejiang'][i % 3], city: ['Shenzhen', 'Beijing', 'Hangzhou', 'Guangzhou'][i % 4] }
          : {},
    });
    if (!v.ok) throw new Error(v.reason);
    out.push(v.event);
    if (i % 33 === 0) out.push(v.event);
  }
  return out;
}

/** What the tables must hold, straight from CONTRACT §5 (no code shared with the aggregator). */
function oracle(events: ActivityEvent[]) {
  const dau = new Map<string, Set<string>>();
  const ids = new Set(events.map((e) => e.event_id));
  for (const e of events) {
    if (e.event_type !== 'app.session_start') continue;
    const day = businessDate(e.occurred_at, TZ);
    if (!dau.has(day)) dau.set(day, new Set());
    dau.get(day)!.add(identityOf(e));
  }
  return { events: ids.size, dau: [...dau.entries()].sort().map(([day, s]) => ({ day, dau: String(s.size) })) };
}

describe('fault suite: the presence aggregator', () => {
  it('SIGKILL mid-batch, then restart: every event once, DAU exact (difference 0)', async () => {
    const p = await createTestPipeline('faultpresence', 6);
    const env = { PRESENCE_AGG_GROUP_ID: uniqueName('presence'), PRESENCE_AGG_HEALTH_PORT: '0', PRESENCE_AGG_BATCH_MAX: '200' };
    try {
      const events = load();
      const want = oracle(events);
      let proc = p.start('presence-aggregator', env);
      await waitFor('started', async () => / started"/.test(proc.output()), 60_000, 100);
      for (let i = 0; i < events.length; i += 500) {
        await p.publisher.publish(events.slice(i, i + 500));
        if (i === 6000) {
          await new Promise((r) => setTimeout(r, 200));
          proc.child.kill('SIGKILL');
          await proc.stop();
          proc = p.start('presence-aggregator', env);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      const got = await waitFor(
        'settled',
        async () => {
          const n = (await p.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM presence_activity')).rows[0]!.n;
          if (n < want.events) return undefined;
          return {
            events: n,
            dau: (
              await p.db.pool.query<{ day: string; dau: string }>('SELECT day::text, dau::text FROM presence_daily_counts ORDER BY day')
            ).rows,
          };
        },
        180_000,
        250,
      );
      expect(got).toEqual(want);
      console.log(
        `presence SIGKILL: ${events.length} published (${events.length - want.events} duplicates), ${got.events} stored, DAU ${JSON.stringify(got.dau)}: difference 0`,
      );
    } finally {
      await p.stop();
    }
  }, 300_000);
});
