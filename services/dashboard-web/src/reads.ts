/** What the seven reads answer (CONTRACT §3; services/query-api/src/openapi.ts), as the page uses them. */
// The names come from the read contract itself (its pure reads.ts only: nothing else is bundled).
export { READS as READ_NAMES, type ReadName } from '@fan/read-contract/src/reads';

export interface TodayOverview {
  crystal_balance: number;
  today_income: number;
  week_rank: number;
  week_total_users: number;
}
export interface IncomeCurve {
  points: Array<{ date: string; income: number; is_today: boolean; is_peak: boolean }>;
  total_income: number;
  avg_income: number;
}
interface Thumbed {
  asset_id: string;
  asset_name: string;
  asset_thumb: string;
}
export interface ExhibitionSummary {
  exhibiting_count: number;
  starbook_count: number;
  total_duration: string;
  total_duration_seconds: number;
  total_earnings: number;
  top5: Array<Thumbed & { duration_7d: string; duration_7d_seconds: number; earnings_7d: number; avg_earnings: number }>;
}
export interface LikeIncomeByLevel {
  total_like_count: number;
  total_income: number;
  levels: Array<{ level: string; asset_count: number; total_income: number; thumb: string }>;
}
export interface TopAssets {
  items: Array<Thumbed & { total_earnings: number; rank: number }>;
}
export interface LevelDistribution {
  items: Array<{ level: string; count: number; total: number }>;
}
export interface UpgradeProgress {
  upcoming: Array<Thumbed & { current_level: string; next_level: string; like_progress: number; duration_progress: number }>;
  recent: Array<Thumbed & { new_level: string; upgrade_time: number }>;
}

export interface ReadData {
  'today-overview': TodayOverview;
  'income-curve': IncomeCurve;
  'exhibition-summary': ExhibitionSummary;
  'like-income-by-level': LikeIncomeByLevel;
  'top-assets': TopAssets;
  'level-distribution': LevelDistribution;
  'upgrade-progress': UpgradeProgress;
}

/** The app-wide panel (CONTRACT §5): three reads shown together. */
export interface AppActivity {
  online: { count: number; window_seconds: number; queried_at: string };
  history: { points: Array<{ at: string; count: number }> };
  dau: {
    days: Array<{ date: string; dau: number; by_province: Record<string, number>; by_city: Record<string, number> }>;
    total_days: number;
  };
}
