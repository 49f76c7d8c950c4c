import { validateEvent, type DashboardEvent } from '@fan/events';
import { World, seededRandom } from '@fan/simulation';

/** N realistic events (all seven types, consistent per star) over the last 3 days, deterministic. */
export function realisticEvents(n: number, seed = 42): DashboardEvent[] {
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
  const out: DashboardEvent[] = [];
  let i = 0;
  while (out.length < n) {
    const at = now - 3 * 86_400_000 + Math.floor((out.length / n) * 3 * 86_400_000);
    worlds[i++ % worlds.length]!.step((e) => {
      if (out.length >= n) return;
      const v = validateEvent({ ...e, event_id: `b${seed}-${out.length}` });
      if (v.ok) out.push(v.event);
    }, at);
  }
  return out;
}

export function typeMix(events: DashboardEvent[]): string {
  const c = new Map<string, number>();
  for (const e of events) c.set(e.event_type, (c.get(e.event_type) ?? 0) + 1);
  return [...c].map(([t, k]) => `${t} ${((100 * k) / events.length).toFixed(0)}%`).join(', ');
}
