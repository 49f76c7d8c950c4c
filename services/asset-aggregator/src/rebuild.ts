/** Recomputes the asset aggregates from raw_events (stop the asset aggregator first). */
import { rebuildCli } from '@fan/aggregation';
import { exitOnFatal } from '@fan/observability';
import { ASSET_RULE, ASSET_TABLES } from './asset.rule';

rebuildCli(ASSET_RULE, ASSET_TABLES).catch(exitOnFatal('asset-rebuild'));
