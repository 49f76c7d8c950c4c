import { consumerGroup, consumerProcessConfig, int, parseEnv, type ConsumerGroupService, type ConsumerProcessConfig } from '@fan/config';

export interface AggregatorConfig extends ConsumerProcessConfig {
  /**
   * Transactions under way at once (`<PREFIX>_APPLY_IN_FLIGHT`): the chunks that the partitions hand in
   * meanwhile are gathered into the next one (at most 4 × BATCH_MAX records).
   */
  applyInFlight: number;
  pgPoolSize: number;
  /** Claims older than this are pruned (APPLIED_RETENTION_DAYS). */
  appliedRetentionDays: number;
}

/**
 * Settings of one aggregator process (its identity in CONSUMER_GROUPS), read from `<PREFIX>_*` variables (e.g. INCOME_AGG_GROUP_ID),
 * so that each consumer group is configured and scaled on its own.
 */
export function aggregatorConfig(service: ConsumerGroupService, env: Record<string, string | undefined> = process.env): AggregatorConfig {
  const base = consumerProcessConfig(
    service,
    {
      batchMax: 2000,
      // A fetch waits up to 50 ms for 64 KiB: at a trickle, ~20 cycles a second instead of one per
      // record's arrival, each costing the same transaction, send and commit (docs/BENCHMARKS.md).
      batchWaitMs: 50,
      concurrency: 12,
      fetchMinBytes: 65_536,
      fetchMaxBytesPerPartition: 4 * 1024 * 1024,
    },
    env,
  );
  const inFlight = `${consumerGroup(service).envPrefix}_APPLY_IN_FLIGHT`;
  const e = parseEnv({ APPLIED_RETENTION_DAYS: int(35, 8), [inFlight]: int(2, 1) }, env) as Record<string, number>;
  // One connection more than the transactions: pruning and /healthz never wait for a chunk.
  return {
    ...base,
    applyInFlight: e[inFlight] as number,
    pgPoolSize: (e[inFlight] as number) + 1,
    appliedRetentionDays: e.APPLIED_RETENTION_DAYS as number,
  };
}
