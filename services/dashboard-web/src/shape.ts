import type { Formatters } from './format';
import type { IncomeCurve, LevelDistribution, LikeIncomeByLevel, ReadData, ReadName, TodayOverview } from './reads';

/** A panel shows its empty state when its read has nothing of the user's to show. */
export function isEmpty<R extends ReadName>(read: R, data: ReadData[R]): boolean {
  switch (read) {
    case 'today-overview': {
      const d = data as TodayOverview;
      return d.crystal_balance === 0 && d.today_income === 0 && d.week_rank === 0;
    }
    case 'income-curve':
      return (data as IncomeCurve).points.every((p) => p.income === 0);
    case 'exhibition-summary': {
      const d = data as ReadData['exhibition-summary'];
      return d.starbook_count === 0 && d.total_earnings === 0 && d.total_duration_seconds === 0 && d.top5.length === 0;
    }
    case 'like-income-by-level': {
      const d = data as LikeIncomeByLevel;
      return d.levels.length === 0 && d.total_like_count === 0;
    }
    case 'top-assets':
      return (data as ReadData['top-assets']).items.length === 0;
    case 'level-distribution':
      return (data as LevelDistribution).items.every((i) => i.count === 0);
    case 'upgrade-progress': {
      const d = data as ReadData['upgrade-progress'];
      return d.upcoming.length === 0 && d.recent.length === 0;
    }
  }
  return false;
}

/** "n / total", or a dash when the user has no income this week (rank 0). */
export function rankText(d: TodayOverview, f: Formatters): string {
  return d.week_rank === 0 ? '—' : `${f.int(d.week_rank)} / ${f.int(d.week_total_users)}`;
}

export interface CurveSeries {
  labels: string[];
  values: number[];
  todayIndex: number;
  peakIndex: number;
}

/** The 7-day curve: labels in the locale, today and the peak (at most one, none when all are 0). */
export function curveSeries(d: IncomeCurve, f: Formatters): CurveSeries {
  return {
    labels: d.points.map((p) => f.day(p.date)),
    values: d.points.map((p) => p.income),
    todayIndex: d.points.findIndex((p) => p.is_today),
    peakIndex: d.points.findIndex((p) => p.is_peak),
  };
}

export interface Bars {
  labels: string[];
  values: number[];
}

export const likeIncomeBars = (d: LikeIncomeByLevel): Bars => ({
  labels: d.levels.map((l) => l.level),
  values: d.levels.map((l) => l.total_income),
});

export const distributionBars = (d: LevelDistribution): Bars => ({
  labels: d.items.map((i) => i.level),
  values: d.items.map((i) => i.count),
});

/** Initials for an asset without a usable thumb (the thumb failed or is empty). */
export function initials(name: string): string {
  const words = name.replace(/#\d+/g, '').trim().split(/\s+/).filter(Boolean);
  const letters = words.slice(0, 2).map((w) => [...w][0] ?? '');
  return letters.join('').toUpperCase() || '?';
}
