import type { EventType } from '@fan/events';

export const INCOME_TYPES: ReadonlySet<EventType> = new Set<EventType>(['crystal.change']);
/** What the income aggregator owns (a rebuild empties and refills exactly these). */
export const INCOME_TABLES = ['agg_daily_income', 'agg_weekly_income', 'agg_balance'] as const;
