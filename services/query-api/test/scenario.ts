/**
 * A known set of events and the exact answers the contract gives for them, shared by the reads
 * test (one instance per aggregator) and the scaling test (two instances sharing partitions).
 * "Now" is Wednesday 2026-11-25 12:00 in Asia/Shanghai: the week began Monday 2026-11-23 and the
 * last 7 days are 2026-11-19 … 2026-11-25.
 */
export const NOW = Date.parse('2026-11-25T12:00:00+08:00');

export const STAR = '1001';
export const OTHER_STAR = '1002';
export const ASSET_STAR = '2001';

export const U1 = '1234567890123456789';
export const U2 = '2';
export const U3 = '3';
export const U4 = '4'; // no events at all
export const UB = '9223372036854775807'; // owns the assets

export const A1 = '9007199254740993';
export const A2 = '2';
export const A3 = '3';
export const A4 = '4';
export const A5 = '5';
export const A6 = '6';

type Json = Record<string, unknown>;
let seq = 0;
const ev = (type: string, user: string, star: string, at: string, properties: Json, id?: string): Json => ({
  event_id: id ?? `${type}-${++seq}-${user}-${Date.parse(at)}`,
  event_type: type,
  user_id: user,
  star_id: star,
  occurred_at: at,
  properties,
});
const crystal = (user: string, star: string, at: string, amount: number, balance: number, id?: string) =>
  ev('crystal.change', user, star, at, { amount, balance_after: balance, reason: 'test' }, id);

/** Income events, in the order they are published (late and out-of-order ones on purpose). */
export function incomeEvents(): Json[] {
  return [
    crystal(U1, STAR, '2026-11-25T11:00:00.000+08:00', -30, 120), // latest: the balance
    crystal(U1, STAR, '2026-11-25T10:00:00.000+08:00', 100, 150, 'u1-today-100'),
    crystal(U1, STAR, '2026-11-25T10:00:00.000+08:00', 100, 150, 'u1-today-100'), // duplicate
    crystal(U1, STAR, '2026-11-24T23:59:59.999+08:00', 50, 50),
    crystal(U1, STAR, '2026-11-23T00:00:00.000+08:00', 7, 7), // Monday 00:00: this week
    crystal(U1, STAR, '2026-11-22T23:59:59.999+08:00', 1000, 1000), // Sunday 23:59: last week
    crystal(U2, STAR, '2026-11-23T09:00:00.000+08:00', 157, 157), // ties U1's week
    crystal(U3, STAR, '2026-11-24T09:00:00.000+08:00', 100, 100),
    crystal(U3, STAR, '2026-11-25T09:00:00.000+08:00', 100, 200), // peak tie: the later day wins
    crystal(U1, OTHER_STAR, '2026-11-25T09:00:00.000+08:00', 5000, 5000), // another star
    crystal(U1, STAR, '2026-11-20T12:00:00.000+08:00', 5, 5), // arrives days late
  ];
}

const at = (d: string, t: string) => `2026-11-${d}T${t}+08:00`;

/** Asset events of UB for ASSET_STAR, published in this order. */
export function assetEvents(): Json[] {
  const s = ASSET_STAR;
  return [
    ev('asset.mint', UB, s, at('20', '10:00:00'), { asset_id: A1, level: 'N', asset_name: 'Alpha', asset_thumb: 'a1.png' }),
    ...[2, 3, 4].map((amount, i) => ev('asset.like', UB, s, at('21', `1${i}:00:00`), { asset_id: A1, liker_user_id: '42', amount })),
    ev('exhibition.start', UB, s, at('24', '08:00:00'), { asset_id: A1, slot_id: '1' }),
    ev('exhibition.end', UB, s, at('24', '09:05:00'), { asset_id: A1, slot_id: '1', duration_ms: 3_900_000 }),
    ev('exhibition.revenue', UB, s, at('24', '09:05:00'), { asset_id: A1, amount: 50, duration_ms: 3_900_000 }),
    ev('exhibition.revenue', UB, s, at('10', '09:00:00'), { asset_id: A1, amount: 20, duration_ms: 60_000 }), // outside 7 days

    // A2: likes before and after a level-up that arrives late, and a mint that arrives after it.
    ev('asset.like', UB, s, at('24', '09:00:00'), { asset_id: A2, liker_user_id: '43', amount: 1 }),
    ev('asset.like', UB, s, at('24', '11:00:00'), { asset_id: A2, liker_user_id: '44', amount: 5 }),
    ev('asset.like', UB, s, at('24', '11:30:00'), { asset_id: A2, liker_user_id: '45', amount: 5 }),
    ev('asset.level_up', UB, s, at('24', '10:00:00'), { asset_id: A2, from_level: 'R', to_level: 'SR' }),
    ev('asset.mint', UB, s, at('19', '10:00:00'), { asset_id: A2, level: 'R', asset_name: 'Beta', asset_thumb: 'a2.png' }),
    ev('exhibition.start', UB, s, at('25', '08:00:00'), { asset_id: A2, slot_id: '2' }), // still running
    ev('exhibition.revenue', UB, s, at('25', '09:00:00'), { asset_id: A2, amount: 50, duration_ms: 3_600_000 }),

    ev('asset.mint', UB, s, at('19', '11:00:00'), { asset_id: A3, level: 'SSR', asset_name: 'Gamma', asset_thumb: 'a3.png' }),
    ev('asset.level_up', UB, s, at('25', '08:00:00'), { asset_id: A3, from_level: 'SSR', to_level: 'UR' }),

    ev('exhibition.revenue', UB, s, at('25', '10:00:00'), { asset_id: A4, amount: 10, duration_ms: 0 }), // never minted

    // A5: the end arrives before its start.
    ev('asset.mint', UB, s, at('19', '12:00:00'), { asset_id: A5, level: 'N', asset_name: 'Delta', asset_thumb: 'a5.png' }),
    ev('exhibition.end', UB, s, at('25', '10:00:00'), { asset_id: A5, slot_id: '3', duration_ms: 1_800_000 }),
    ev('exhibition.start', UB, s, at('25', '09:30:00'), { asset_id: A5, slot_id: '3' }),

    ev('asset.mint', UB, s, at('19', '13:00:00'), { asset_id: A6, level: 'N', asset_name: 'Eps', asset_thumb: 'a6.png' }),
    ...Array.from({ length: 10 }, (_, i) =>
      ev('asset.like', UB, s, at('22', `10:0${i}:00`), { asset_id: A6, liker_user_id: '46', amount: 0 }),
    ),
  ];
}

export const point = (date: string, income: number, isToday = false, isPeak = false) => ({
  date,
  income,
  is_today: isToday,
  is_peak: isPeak,
});

/** What each read must answer once every event above is in. */
type Overview = { crystal_balance: number; today_income: number; week_rank: number; week_total_users: number };

export const EXPECTED = {
  todayOverview: <Record<string, Overview>>{
    [U1]: { crystal_balance: 120, today_income: 100, week_rank: 2, week_total_users: 3 },
    [U2]: { crystal_balance: 157, today_income: 0, week_rank: 2, week_total_users: 3 },
    [U3]: { crystal_balance: 200, today_income: 100, week_rank: 1, week_total_users: 3 },
    [U4]: { crystal_balance: 0, today_income: 0, week_rank: 0, week_total_users: 3 },
  },
  incomeCurveU1: {
    points: [
      point('2026-11-19', 0),
      point('2026-11-20', 5),
      point('2026-11-21', 0),
      point('2026-11-22', 1000, false, true),
      point('2026-11-23', 7),
      point('2026-11-24', 50),
      point('2026-11-25', 100, true),
    ],
    total_income: 1162,
    avg_income: 166,
  },
  incomeCurveU3: {
    points: [
      point('2026-11-19', 0),
      point('2026-11-20', 0),
      point('2026-11-21', 0),
      point('2026-11-22', 0),
      point('2026-11-23', 0),
      point('2026-11-24', 100),
      point('2026-11-25', 100, true, true),
    ],
    total_income: 200,
    avg_income: 28,
  },
  exhibitionSummary: {
    exhibiting_count: 1,
    starbook_count: 5,
    total_duration: '1h35m',
    total_duration_seconds: 5700,
    total_earnings: 130,
    top5: [
      {
        asset_id: A2,
        asset_name: 'Beta',
        asset_thumb: 'a2.png',
        duration_7d: '0h00m',
        duration_7d_seconds: 0,
        earnings_7d: 50,
        avg_earnings: 7,
      },
      {
        asset_id: A1,
        asset_name: 'Alpha',
        asset_thumb: 'a1.png',
        duration_7d: '1h05m',
        duration_7d_seconds: 3900,
        earnings_7d: 50,
        avg_earnings: 7,
      },
      { asset_id: A4, asset_name: '', asset_thumb: '', duration_7d: '0h00m', duration_7d_seconds: 0, earnings_7d: 10, avg_earnings: 1 },
    ],
  },
  likeIncomeByLevel: {
    total_like_count: 16,
    total_income: 20,
    levels: [
      { level: 'N', asset_count: 3, total_income: 9, thumb: 'a1.png' },
      { level: 'SR', asset_count: 1, total_income: 11, thumb: 'a2.png' },
      { level: 'UR', asset_count: 1, total_income: 0, thumb: 'a3.png' },
    ],
  },
  topAssets: {
    items: [
      { asset_id: A1, asset_name: 'Alpha', asset_thumb: 'a1.png', total_earnings: 79, rank: 1 },
      { asset_id: A2, asset_name: 'Beta', asset_thumb: 'a2.png', total_earnings: 61, rank: 2 },
      { asset_id: A4, asset_name: '', asset_thumb: '', total_earnings: 10, rank: 3 },
    ],
  },
  levelDistribution: {
    items: [
      { level: 'N', count: 3, total: 5 },
      { level: 'R', count: 0, total: 5 },
      { level: 'SR', count: 1, total: 5 },
      { level: 'SSR', count: 0, total: 5 },
      { level: 'UR', count: 1, total: 5 },
    ],
  },
  upgradeProgress: {
    upcoming: [
      {
        asset_id: A1,
        asset_name: 'Alpha',
        asset_thumb: 'a1.png',
        current_level: 'N',
        next_level: 'R',
        like_progress: 30,
        duration_progress: 100,
      },
      {
        asset_id: A6,
        asset_name: 'Eps',
        asset_thumb: 'a6.png',
        current_level: 'N',
        next_level: 'R',
        like_progress: 100,
        duration_progress: 0,
      },
      {
        asset_id: A5,
        asset_name: 'Delta',
        asset_thumb: 'a5.png',
        current_level: 'N',
        next_level: 'R',
        like_progress: 0,
        duration_progress: 50,
      },
      {
        asset_id: A2,
        asset_name: 'Beta',
        asset_thumb: 'a2.png',
        current_level: 'SR',
        next_level: 'SSR',
        like_progress: 1,
        duration_progress: 0,
      },
    ],
    recent: [
      { asset_id: A3, asset_name: 'Gamma', asset_thumb: 'a3.png', new_level: 'UR', upgrade_time: Date.parse('2026-11-25T08:00:00+08:00') },
      { asset_id: A2, asset_name: 'Beta', asset_thumb: 'a2.png', new_level: 'SR', upgrade_time: Date.parse('2026-11-24T10:00:00+08:00') },
    ],
  },
};
