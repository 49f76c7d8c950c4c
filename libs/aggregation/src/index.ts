// The aggregator runtime: exactly-once apply, change records, the process, rebuild and pruning.
export {
  aggregatorApplyChunks,
  type AggregateContext,
  type AggregateRule,
  type AggregateStore,
  type AggregatorParts,
  type AnnounceReplayed,
} from './apply-step';
export { aggregatorConfig, aggregatorIdentity, type AggregatorConfig, type AggregatorName } from './config';
export { claimEvents } from './exactly-once';
export { publishChanges } from './publish-changes';
export { pruneAppliedEvents } from './prune-applied';
export { rebuildCli } from './rebuild-cli';
export { foldExpiredRaw, rebuildFromRaw, type FoldResult, type RebuildResult } from './rebuild';
export { runAggregator } from './run-aggregator';
