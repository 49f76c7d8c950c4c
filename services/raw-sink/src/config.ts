import { bool, commonConfig, int, parseEnv, str, type CommonConfig } from '@fan/config';
import type { ConsumerSettings } from '@fan/kafka-runner';
import { topicsFor } from '@fan/events';

export interface RawSinkConfig {
  common: CommonConfig;
  consumer: ConsumerSettings;
  healthPort: number;
  pgPoolSize: number;
  partitionDaysAhead: number;
  retentionDays: number;
  maintenanceIntervalMs: number;
}

/** The only place the raw sink reads process.env. */
export function loadConfig(env: Record<string, string | undefined> = process.env): RawSinkConfig {
  const common = commonConfig(env);
  const e = parseEnv(
    {
      RAW_SINK_GROUP_ID: str('raw-sink'),
      RAW_SINK_HEALTH_PORT: int(9101),
      RAW_SINK_BATCH_MAX: int(2000, 1),
      RAW_SINK_BATCH_WAIT_MS: int(200, 0),
      RAW_SINK_FETCH_MIN_BYTES: int(65_536, 1),
      RAW_SINK_FETCH_MAX_BYTES_PER_PARTITION: int(524_288, 1024),
      RAW_SINK_CONCURRENCY: int(3, 1),
      RAW_SINK_FROM_BEGINNING: bool(true),
      RAW_PARTITION_DAYS_AHEAD: int(7, 0),
      RAW_RETENTION_DAYS: int(30, 1),
      RAW_MAINTENANCE_INTERVAL_MS: int(3_600_000, 1000),
    },
    env,
  );
  const topics = topicsFor(common.topicPrefix);
  return {
    common,
    consumer: {
      groupId: e.RAW_SINK_GROUP_ID,
      topic: topics.events,
      deadLetterTopic: topics.deadLetter,
      maxChunk: e.RAW_SINK_BATCH_MAX,
      maxWaitMs: e.RAW_SINK_BATCH_WAIT_MS,
      minBytes: e.RAW_SINK_FETCH_MIN_BYTES,
      maxBytesPerPartition: e.RAW_SINK_FETCH_MAX_BYTES_PER_PARTITION,
      concurrency: e.RAW_SINK_CONCURRENCY,
      fromBeginning: e.RAW_SINK_FROM_BEGINNING,
      sessionTimeoutMs: common.kafkaSessionTimeoutMs,
      retryInBatchMs: common.consumerRetryInBatchMs,
      stuckAfterMs: common.consumerStuckAfterMs,
    },
    healthPort: e.RAW_SINK_HEALTH_PORT,
    pgPoolSize: e.RAW_SINK_CONCURRENCY + 1,
    partitionDaysAhead: e.RAW_PARTITION_DAYS_AHEAD,
    retentionDays: e.RAW_RETENTION_DAYS,
    maintenanceIntervalMs: e.RAW_MAINTENANCE_INTERVAL_MS,
  };
}
