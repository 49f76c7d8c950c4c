import { consumerProcessConfig, int, parseEnv, type ConsumerGroupService, type ConsumerProcessConfig } from '@fan/config';

export interface AggregatorConfig extends ConsumerProcessConfig {
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
      batchWaitMs: 20,
      concurrency: 3,
      fetchMinBytes: 1,
      fetchMaxBytesPerPartition: 4 * 1024 * 1024,
    },
    env,
  );
  const e = parseEnv({ APPLIED_RETENTION_DAYS: int(35, 8) }, env);
  return { ...base, pgPoolSize: base.consumer.concurrency + 1, appliedRetentionDays: e.APPLIED_RETENTION_DAYS };
}
