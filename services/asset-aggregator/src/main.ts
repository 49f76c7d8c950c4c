import { aggregatorConfig, runAggregator } from '@fan/aggregation';
import { ASSET_RULE } from './asset.rule';

/** Asset aggregator: its own consumer group (ASSET_AGG_*), scaled on its own. */
runAggregator(ASSET_RULE, () => aggregatorConfig('asset-aggregator'));
