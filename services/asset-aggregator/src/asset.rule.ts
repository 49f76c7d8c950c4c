import type { AggregateRule } from '@fan/aggregation';
import type { EventType } from '@fan/events';
import { storeAssets } from './asset.store';

/** What the asset aggregator owns (a rebuild empties and refills exactly these). */
export const ASSET_TABLES = ['agg_assets', 'agg_asset_daily', 'agg_asset_activity', 'agg_level_ups'] as const;

/**
 * Mints, likes, exhibitions, revenue and level-ups → per-asset state, 7-day windows, level
 * progress and recent level-ups.
 */
export const ASSET_RULE: AggregateRule = {
  name: 'asset-aggregator',
  types: new Set<EventType>(['asset.mint', 'asset.like', 'exhibition.start', 'exhibition.end', 'exhibition.revenue', 'asset.level_up']),
  store: (client, fresh, _changes, { tz }) => storeAssets(client, fresh, tz),
};
