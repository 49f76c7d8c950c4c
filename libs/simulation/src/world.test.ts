import { validateEvent, type DashboardEvent } from '@fan/events';
import { LEVEL_THRESHOLDS } from '@fan/schemas';
import { seededRandom } from './seeded-random';
import { World } from './world';

describe('World (the demo economy)', () => {
  const users = ['1234567890123456789', '1234567890123456790', '1234567890123456791', '42'];
  const events: DashboardEvent[] = [];
  const world = new World('7', users, seededRandom(11));
  const start = Date.UTC(2026, 10, 20);
  for (let i = 0; i < 5000; i++) {
    world.step(
      (e) => {
        const v = validateEvent({ event_id: `sim-${events.length}`, ...e }, { now: start + i * 60_000 });
        if (!v.ok) throw new Error(`invalid event ${JSON.stringify(e)}: ${v.reason}`);
        events.push(v.event);
      },
      start + i * 60_000,
    );
  }

  it('emits only events the contract accepts, of every type', () => {
    expect(new Set(events.map((e) => e.event_type)).size).toBe(7);
  });

  it('keeps every ledger consistent: balance_after is the running sum of the amounts', () => {
    const balances = new Map<bigint, bigint>();
    for (const e of events) {
      if (e.event_type !== 'crystal.change') continue;
      const b = (balances.get(e.user_id) ?? 0n) + e.properties.amount;
      expect(e.properties.balance_after).toBe(b);
      balances.set(e.user_id, b);
    }
  });

  it('mints before likes and exhibitions, starts before ends, and levels up only when earned', () => {
    const minted = new Set<bigint>();
    const exhibiting = new Set<bigint>();
    const since = new Map<bigint, { likes: number; ms: bigint; level: string }>();
    for (const e of events) {
      if (e.event_type === 'crystal.change') continue;
      const id = e.properties.asset_id;
      if (e.event_type === 'asset.mint') {
        minted.add(id);
        since.set(id, { likes: 0, ms: 0n, level: e.properties.level });
        continue;
      }
      expect(minted.has(id)).toBe(true);
      const s = since.get(id)!;
      if (e.event_type === 'asset.like') s.likes++;
      if (e.event_type === 'exhibition.start') exhibiting.add(id);
      if (e.event_type === 'exhibition.end') {
        expect(exhibiting.delete(id)).toBe(true);
        s.ms += e.properties.duration_ms;
      }
      if (e.event_type === 'asset.level_up') {
        const t = LEVEL_THRESHOLDS[s.level]!;
        expect([e.properties.from_level, e.properties.to_level]).toEqual([s.level, t.next]);
        expect(s.likes).toBeGreaterThanOrEqual(t.likes_required);
        expect(s.ms).toBeGreaterThanOrEqual(BigInt(t.exhibition_seconds_required * 1000));
        since.set(id, { likes: 0, ms: 0n, level: t.next });
      }
    }
    expect(events.some((e) => e.event_type === 'asset.level_up')).toBe(true);
  });
});

describe('Apps (the demo app activity)', () => {
  it('starts before it beats or ends, beats at most once a minute per install, all valid', async () => {
    const { Apps } = await import('./apps');
    const { validateActivityEvent } = await import('@fan/events');
    const apps = new Apps(['1234567890123456789', '42'], 20, seededRandom(5));
    const seen: Array<{ type: string; install: string; at: number }> = [];
    const start = Date.UTC(2026, 10, 25);
    for (let s = 0; s < 3600; s++)
      apps.step(
        (e) => {
          const v = validateActivityEvent({ event_id: `x-${seen.length}`, ...e });
          if (!v.ok) throw new Error(v.reason);
          seen.push({ type: v.event.event_type, install: v.event.install_id, at: Number(v.event.occurred_at) });
        },
        start + s * 1000,
      );
    expect(new Set(seen.map((x) => x.type))).toEqual(new Set(['app.session_start', 'presence.heartbeat', 'app.session_end']));
    const online = new Map<string, number>();
    for (const x of seen) {
      if (x.type === 'app.session_start') online.set(x.install, x.at);
      else {
        expect(online.has(x.install)).toBe(true);
        if (x.type === 'presence.heartbeat') {
          expect(x.at - online.get(x.install)!).toBeGreaterThanOrEqual(60_000);
          online.set(x.install, x.at);
        } else online.delete(x.install);
      }
    }
  });
});
