import { bool, commonConfig, int, parseEnv, str, type CommonConfig } from '@fan/config';
import { topicsFor, type Topics } from '@fan/events';
import type { ConsumerSettings } from '@fan/kafka-runner';

export interface AggregatorConfig {
  common: CommonConfig;
  topics: Topics;
  consumer: ConsumerSettings;
  healthPort: number;
  pgPoolSize: number;
  /** Claims older than this are pruned (APPLIED_RETENTION_DAYS). */
  appliedRetentionDays: number;
}

/**
 * Settings of one aggregator process, read from `<PREFIX>_*` variables (e.g. INCOME_AGG_GROUP_ID),
 * so that each consumer group is configured and scaled on its own.
 */
export function aggregatorConfig(prefix: string, defaults: { groupId: string; healthPort: number }, env: Record<string, string | undefined> = process.env): AggregatorConfig {
  const common = commonConfig(env);
  const e = parseEnv(
    {
      [`${prefix}_GROUP_ID`]: str(defaults.groupId),
      [`${prefix}_HEALTH_PORT`]: int(defaults.healthPort),
      [`${prefix}_BATCH_MAX`]: int(2000, 1),
      [`${prefix}_BATCH_WAIT_MS`]: int(20, 0),
      [`${prefix}_CONCURRENCY`]: int(3, 1),
      [`${prefix}_FROM_BEGINNING`]: bool(true),
      APPLIED_RETENTION_DAYS: int(35, 8),
    },
    env,
  ) as Record<string, string | number | boolean>;
  const get = <T>(name: string) => e[`${prefix}_${name}`] as T;
  const topics = topicsFor(common.topicPrefix);
  return {
    common,
    topics,
    consumer: {
      groupId: get<string>('GROUP_ID'),
      topic: topics.events,
      deadLetterTopic: topics.deadLetter,
      maxChunk: get<number>('BATCH_MAX'),
      maxWaitMs: get<number>('BATCH_WAIT_MS'),
      minBytes: 1,
      maxBytesPerPartition: 4 * 1024 * 1024,
      concurrency: get<number>('CONCURRENCY'),
      fromBeginning: get<boolean>('FROM_BEGINNING'),
      sessionTimeoutMs: common.kafkaSessionTimeoutMs,
      retryInBatchMs: common.consumerRetryInBatchMs,
      stuckAfterMs: common.consumerStuckAfterMs,
    },
    healthPort: get<number>('HEALTH_PORT'),
    appliedRetentionDays: e.APPLIED_RETENTION_DAYS as number,
    pgPoolSize: get<number>('CONCURRENCY') + 1,
  };
}
