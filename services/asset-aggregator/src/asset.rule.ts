import { aggregatorIdentity, type AggregateRule } from '@fan/aggregation';
import { storeAssets } from './asset.store';

const { rule, tables } = aggregatorIdentity('asset-aggregator');

/** What the asset aggregator owns (a rebuild empties and refills exactly these; its manifest entry). */
export const ASSET_TABLES = tables;

/**
 * Mints, likes, exhibitions, revenue and level-ups → per-asset state, 7-day windows, level
 * progress and recent level-ups.
 */
export const ASSET_RULE: AggregateRule = {
  ...rule,
  store: (client, fresh, _changes, { tz }) => storeAssets(client, fresh, tz),
};
