/** Recomputes the asset aggregates from raw_events (stop the asset aggregator first). */
import { rebuildCli } from '@fan/aggregation';
import { exitOnFatal } from '@fan/observability';
import { storeAssets } from './asset.store';
import { ASSET_TABLES, ASSET_TYPES } from './asset.types';

rebuildCli('asset-aggregator', ASSET_TYPES, ASSET_TABLES, (tz) => (client, fresh) => storeAssets(client, fresh, tz)).catch(exitOnFatal('asset-rebuild'));
