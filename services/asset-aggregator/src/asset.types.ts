import type { EventType } from '@fan/events';

export const ASSET_TYPES: ReadonlySet<EventType> = new Set<EventType>(['asset.mint', 'asset.like', 'exhibition.start', 'exhibition.end', 'exhibition.revenue', 'asset.level_up']);
/** What the asset aggregator owns (a rebuild empties and refills exactly these). */
export const ASSET_TABLES = ['agg_assets', 'agg_asset_daily', 'agg_asset_activity', 'agg_level_ups'] as const;
