import { businessDate, compareEventIds, type EventOf } from '@fan/events';
import { weekStart } from '@fan/read-contract';

type CrystalChange = EventOf<'crystal.change'>;

export interface IncomeDeltas {
  /** star|user|day → income to add */
  daily: Map<string, { star: bigint; user: bigint; day: string; income: bigint }>;
  /** star|week|user → income to add */
  weekly: Map<string, { star: bigint; user: bigint; week: string; income: bigint }>;
  /** star|user → the latest balance in this chunk */
  balances: Map<string, { star: bigint; user: bigint; balance: bigint; at: bigint; eventId: string }>;
}

/** (occurred_at, event_id) order: the contract's "latest" for balances and level-ups. */
export function isLater(at: bigint, id: string, thanAt: bigint, thanId: string): boolean {
  return at > thanAt || (at === thanAt && compareEventIds(id, thanId) > 0);
}

/**
 * Folds a chunk of crystal.change events into what the store adds: income (positive amounts only)
 * per business day and business week, and the latest balance per (star, user). Pure: no I/O.
 */
export function foldIncome(events: readonly CrystalChange[], tz: string): IncomeDeltas {
  const out: IncomeDeltas = { daily: new Map(), weekly: new Map(), balances: new Map() };
  for (const e of events) {
    const pair = `${e.star_id}|${e.user_id}`;
    const b = out.balances.get(pair);
    if (!b || isLater(e.occurred_at, e.event_id, b.at, b.eventId)) {
      out.balances.set(pair, {
        star: e.star_id,
        user: e.user_id,
        balance: e.properties.balance_after,
        at: e.occurred_at,
        eventId: e.event_id,
      });
    }
    const amount = e.properties.amount;
    if (amount <= 0n) continue;
    const day = businessDate(e.occurred_at, tz);
    const week = weekStart(day);
    const d = out.daily.get(`${pair}|${day}`);
    if (d) d.income += amount;
    else out.daily.set(`${pair}|${day}`, { star: e.star_id, user: e.user_id, day, income: amount });
    const w = out.weekly.get(`${pair}|${week}`);
    if (w) w.income += amount;
    else out.weekly.set(`${pair}|${week}`, { star: e.star_id, user: e.user_id, week, income: amount });
  }
  return out;
}
