import { commonConfig, type CommonConfig } from './common';
import { consumerGroup, groupSettings, type ConsumerGroupService } from './groups';
import { int, parseEnv } from './parse-env';

type Env = Record<string, string | undefined>;

/** How one consumer group reads: what every consumer process passes to the consumer runtime. */
export interface ConsumerSettings {
  groupId: string;
  topic: string;
  deadLetterTopic: string;
  /** Records per apply (one COPY / one transaction). */
  maxChunk: number;
  /** Time-based batching happens at the broker: a fetch waits up to maxWaitMs for minBytes. */
  maxWaitMs: number;
  minBytes: number;
  maxBytesPerPartition: number;
  /** Partitions processed at once (the raw sink: one Postgres connection each; aggregators and invalidator gather them). */
  concurrency: number;
  fromBeginning: boolean;
  /** A member silent this long is presumed dead and its partitions move (KAFKA_SESSION_TIMEOUT_MS). */
  sessionTimeoutMs: number;
  /** A failing partition holds its batch this long at most, then is paused alone (CONSUMER_RETRY_IN_BATCH_MS). */
  retryInBatchMs: number;
  /** A partition failing this long turns /healthz unavailable (CONSUMER_STUCK_AFTER_MS). */
  stuckAfterMs: number;
}

/** What every consumer process is configured with. */
export interface ConsumerProcessConfig {
  common: CommonConfig;
  consumer: ConsumerSettings;
  /** /healthz and /metrics. */
  healthPort: number;
}

/** How a group reads by default; who it is (id, port, topic, start) comes from CONSUMER_GROUPS. */
export interface ConsumerDefaults {
  batchMax: number;
  batchWaitMs: number;
  concurrency: number;
  fetchMinBytes: number;
  fetchMaxBytesPerPartition: number;
}

/**
 * The settings of one consumer group from `<PREFIX>_*` variables (GROUP_ID, HEALTH_PORT,
 * BATCH_MAX, BATCH_WAIT_MS, CONCURRENCY, FROM_BEGINNING, FETCH_MIN_BYTES,
 * FETCH_MAX_BYTES_PER_PARTITION), so that each group is configured and scaled on its own.
 */
export function consumerProcessConfig(service: ConsumerGroupService, d: ConsumerDefaults, env: Env = process.env): ConsumerProcessConfig {
  const common = commonConfig(env);
  const group = consumerGroup(service);
  const v = (name: string) => `${group.envPrefix}_${name}`;
  const { groupId, fromBeginning } = groupSettings(group, env);
  const e = parseEnv(
    {
      [v('HEALTH_PORT')]: int(group.healthPort),
      [v('BATCH_MAX')]: int(d.batchMax, 1),
      [v('BATCH_WAIT_MS')]: int(d.batchWaitMs, 0),
      [v('CONCURRENCY')]: int(d.concurrency, 1),
      [v('FETCH_MIN_BYTES')]: int(d.fetchMinBytes, 1),
      [v('FETCH_MAX_BYTES_PER_PARTITION')]: int(d.fetchMaxBytesPerPartition, 1024),
    },
    env,
  ) as Record<string, string | number | boolean>;
  const get = <T>(name: string) => e[v(name)] as T;
  return {
    common,
    healthPort: get<number>('HEALTH_PORT'),
    consumer: {
      groupId,
      topic: common.topics[group.topic],
      deadLetterTopic: common.topics.deadLetter,
      maxChunk: get<number>('BATCH_MAX'),
      maxWaitMs: get<number>('BATCH_WAIT_MS'),
      minBytes: get<number>('FETCH_MIN_BYTES'),
      maxBytesPerPartition: get<number>('FETCH_MAX_BYTES_PER_PARTITION'),
      concurrency: get<number>('CONCURRENCY'),
      fromBeginning,
      sessionTimeoutMs: common.kafkaSessionTimeoutMs,
      retryInBatchMs: common.consumerRetryInBatchMs,
      stuckAfterMs: common.consumerStuckAfterMs,
    },
  };
}
