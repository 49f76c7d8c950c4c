import { validateEvent, type DashboardEvent } from '@fan/events';
import type { Publisher } from '@fan/producer';
import { World, seededRandom } from '@fan/simulation';
import type { OracleEvent } from './oracle';

export interface Load {
  /** Every event in publish order (duplicates included), JSON form for the oracle. */
  events: OracleEvent[];
  unique: number;
  duplicates: number;
}

/**
 * A known, consistent load: two stars' fan economies over the three days before `now`, and about
 * 5% of the events published a second time (same event_id), as producers retrying would.
 */
export function generateLoad(seed: number, count: number, now: number): Load {
  const random = seededRandom(seed);
  const worlds = ['11', '12'].map(
    (star, i) =>
      new World(
        star,
        Array.from({ length: 12 }, (_, u) => String(1_000_000_000_000_000_000n + BigInt(i * 100 + u))),
        random,
      ),
  );
  const events: OracleEvent[] = [];
  const start = now - 3 * 86_400_000;
  let n = 0;
  let duplicates = 0;
  while (n < count) {
    const at = start + Math.floor((n / count) * (now - start - 60_000));
    (worlds[n % 2] as World).step((e) => {
      events.push({ ...(e as Omit<OracleEvent, 'event_id'>), event_id: `f${seed}-${n}` } as OracleEvent);
      n++;
    }, at);
    if (random() < 0.05 && events.length > 10) {
      events.push(events[Math.floor(random() * events.length)] as OracleEvent);
      duplicates++;
    }
  }
  return { events, unique: events.length - duplicates, duplicates };
}

export function toDashboardEvent(e: OracleEvent): DashboardEvent {
  const v = validateEvent(e);
  if (!v.ok) throw new Error(`${e.event_id}: ${v.reason}`);
  return v.event;
}

export interface RunningLoad {
  /** Events Kafka acknowledged so far (duplicates included). */
  sent: () => number;
  done: Promise<void>;
  failures: () => number;
}

/**
 * Publishes at a steady rate through the producer library; a batch Kafka did not acknowledge is
 * sent again until it is (a broker restart must not lose the known set). With `until` (epoch ms)
 * it stops there, whatever is left: the events published are the first `sent()`.
 */
export function publishSteadily(publisher: Publisher, load: Load, perSecond: number, until = Infinity): RunningLoad {
  const all = load.events.map(toDashboardEvent);
  let sent = 0;
  let failures = 0;
  const tick = 50;
  const perTick = Math.max(1, Math.round((perSecond * tick) / 1000));
  const done = (async () => {
    while (sent < all.length && Date.now() < until) {
      const t0 = Date.now();
      const batch = all.slice(sent, sent + perTick);
      try {
        await publisher.publish(batch);
        sent += batch.length;
      } catch {
        failures++;
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      await new Promise((r) => setTimeout(r, Math.max(0, tick - (Date.now() - t0))));
    }
  })();
  return { sent: () => sent, done, failures: () => failures };
}
