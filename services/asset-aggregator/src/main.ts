import { aggregatorConfig, runAggregator } from '@fan/aggregation';
import { exitOnFatal } from '@fan/observability';
import { storeAssets } from './asset.store';
import { ASSET_TYPES } from './asset.types';

/**
 * Asset aggregator: mints, likes, exhibitions, revenue and level-ups → per-asset state, 7-day
 * windows, level progress and recent level-ups. Its own consumer group (ASSET_AGG_GROUP_ID).
 */
const config = aggregatorConfig('ASSET_AGG', { groupId: 'asset-aggregator', healthPort: 9103 });

runAggregator('asset-aggregator', ASSET_TYPES, (client, fresh) => storeAssets(client, fresh, config.common.businessTz), config).catch(
  exitOnFatal('asset-aggregator'),
);
