import { formatters } from './format';
import type { IncomeCurve } from './reads';
import { curveSeries, distributionBars, initials, isEmpty, likeIncomeBars, rankText } from './shape';

const en = formatters('en');
const curve = (incomes: number[], peak: number): IncomeCurve => ({
  points: incomes.map((income, i) => ({
    date: `2026-11-${String(18 + i).padStart(2, '0')}`,
    income,
    is_today: i === 6,
    is_peak: i === peak,
  })),
  total_income: incomes.reduce((a, b) => a + b, 0),
  avg_income: Math.floor(incomes.reduce((a, b) => a + b, 0) / 7),
});

describe('chart data shaping', () => {
  it('the 7-day curve keeps the order, marks today and the peak', () => {
    const s = curveSeries(curve([0, 5, 9, 9, 1, 0, 3], 3), en);
    expect(s.values).toEqual([0, 5, 9, 9, 1, 0, 3]);
    expect(s.labels[0]).toBe('Wed, Nov 18');
    expect([s.todayIndex, s.peakIndex]).toEqual([6, 3]);
    expect(curveSeries(curve([0, 0, 0, 0, 0, 0, 0], -1), en).peakIndex).toBe(-1);
  });

  it('bars in level order', () => {
    expect(
      likeIncomeBars({
        total_like_count: 3,
        total_income: 12,
        levels: [
          { level: 'N', asset_count: 2, total_income: 5, thumb: '' },
          { level: 'SR', asset_count: 1, total_income: 7, thumb: '' },
        ],
      }),
    ).toEqual({ labels: ['N', 'SR'], values: [5, 7] });
    expect(
      distributionBars({
        items: [
          { level: 'N', count: 2, total: 3 },
          { level: 'R', count: 0, total: 3 },
        ],
      }),
    ).toEqual({ labels: ['N', 'R'], values: [2, 0] });
  });

  it('rank as "n / total", a dash without income this week', () => {
    expect(rankText({ crystal_balance: 1, today_income: 0, week_rank: 2, week_total_users: 1200 }, en)).toBe('2 / 1,200');
    expect(rankText({ crystal_balance: 1, today_income: 0, week_rank: 0, week_total_users: 5 }, en)).toBe('—');
  });

  it('empty states', () => {
    expect(isEmpty('today-overview', { crystal_balance: 0, today_income: 0, week_rank: 0, week_total_users: 4 })).toBe(true);
    expect(isEmpty('today-overview', { crystal_balance: 0, today_income: 0, week_rank: 1, week_total_users: 4 })).toBe(false);
    expect(isEmpty('income-curve', curve([0, 0, 0, 0, 0, 0, 0], -1))).toBe(true);
    expect(isEmpty('top-assets', { items: [] })).toBe(true);
    expect(isEmpty('level-distribution', { items: [{ level: 'N', count: 0, total: 0 }] })).toBe(true);
    expect(isEmpty('upgrade-progress', { upcoming: [], recent: [] })).toBe(true);
  });

  it('initials for assets without a thumb', () => {
    expect(initials('Stage Smile #12')).toBe('SS');
    expect(initials('月光')).toBe('月');
    expect(initials('')).toBe('?');
  });
});
