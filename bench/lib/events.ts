import { validateEvent, type DashboardEvent } from '@fan/events';
import { World, seededRandom } from '@fan/simulation';

/** Realistic valid events in their JSON form (ids as decimal strings), one at a time, deterministic. */
export function* realisticJson(n: number, idPrefix: string, seed = 42): Generator<Record<string, unknown>> {
  const random = seededRandom(seed);
  const now = Date.now();
  const worlds = Array.from(
    { length: 8 },
    (_, s) =>
      new World(
        String(100 + s),
        Array.from({ length: 200 }, (_, u) => String(2_000_000_000_000_000_000n + BigInt(s * 1000 + u))),
        random,
      ),
  );
  let made = 0;
  let pending: Array<Record<string, unknown>> = [];
  for (let i = 0; made < n; i++) {
    const at = now - 3 * 86_400_000 + Math.floor((made / n) * 3 * 86_400_000);
    worlds[i % worlds.length]!.step((e) => pending.push(e), at);
    for (const e of pending) {
      if (made >= n) break;
      const withId = { ...e, event_id: `${idPrefix}-${made}` };
      if (!validateEvent(withId).ok) continue;
      made++;
      yield withId;
    }
    pending = [];
  }
}

/** N realistic events (all seven types, consistent per star) over the last 3 days, deterministic. */
export function realisticEvents(n: number, seed = 42): DashboardEvent[] {
  const out: DashboardEvent[] = [];
  for (const e of realisticJson(n, `b${seed}`, seed)) {
    const v = validateEvent(e);
    if (v.ok) out.push(v.event);
  }
  return out;
}

export function typeMix(events: DashboardEvent[]): string {
  const c = new Map<string, number>();
  for (const e of events) c.set(e.event_type, (c.get(e.event_type) ?? 0) + 1);
  return [...c].map(([t, k]) => `${t} ${((100 * k) / events.length).toFixed(0)}%`).join(', ');
}
