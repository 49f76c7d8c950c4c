import { validateEvent, type EventOf } from '@fan/events';
import { foldIncome } from './income.aggregate';

const change = (id: string, user: string, at: string, amount: number, balance: number) => {
  const v = validateEvent({
    event_id: id,
    event_type: 'crystal.change',
    user_id: user,
    star_id: '7',
    occurred_at: at,
    properties: { amount, balance_after: balance, reason: 'r' },
  });
  if (!v.ok) throw new Error(v.reason);
  return v.event as EventOf<'crystal.change'>;
};

describe('foldIncome', () => {
  const tz = 'Asia/Shanghai';
  it('sums positive amounts per business day and week; Sunday 23:59:59.999 and Monday 00:00 fall in different weeks', () => {
    const d = foldIncome(
      [
        change('a', '1', '2026-11-22T23:59:59.999+08:00', 10, 10),
        change('b', '1', '2026-11-23T00:00:00.000+08:00', 20, 30),
        change('c', '1', '2026-11-23T08:00:00.000+08:00', -5, 25),
        change('d', '1', '2026-11-23T09:00:00.000+08:00', 3, 28),
      ],
      tz,
    );
    expect([...d.daily.values()].map((x) => [x.day, x.income])).toEqual([
      ['2026-11-22', 10n],
      ['2026-11-23', 23n],
    ]);
    expect([...d.weekly.values()].map((x) => [x.week, x.income])).toEqual([
      ['2026-11-16', 10n],
      ['2026-11-23', 23n],
    ]);
  });

  it('keeps the latest balance by occurred_at, then event_id, whatever the arrival order', () => {
    const d = foldIncome(
      [
        change('z', '1', '2026-11-23T10:00:00Z', 1, 500),
        change('b', '1', '2026-11-23T12:00:00Z', 1, 300),
        change('a', '1', '2026-11-23T12:00:00Z', 1, 200),
        change('c', '1', '2026-11-23T11:00:00Z', 1, 100),
      ],
      tz,
    );
    expect([...d.balances.values()].map((b) => [b.balance, b.eventId])).toEqual([[300n, 'b']]);
  });

  it('keeps ids above 2^53 exact in keys and values', () => {
    const d = foldIncome([change('x', '9223372036854775807', '2026-11-23T10:00:00Z', 1, 1)], tz);
    expect([...d.daily.values()][0]!.user).toBe(9223372036854775807n);
  });
});
