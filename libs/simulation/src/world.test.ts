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
