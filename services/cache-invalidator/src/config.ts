import { bool, commonConfig, int, parseEnv, str, type CommonConfig } from '@fan/config';
import { topicsFor, type Topics } from '@fan/events';
import type { ConsumerSettings } from '@fan/kafka-runner';

export interface InvalidatorConfig {
  common: CommonConfig;
  topics: Topics;
  consumer: ConsumerSettings;
  healthPort: number;
  cachePrefix: string;
  /** Generations outlive every answer cached under them (see bump.ts). */
  genTtlSeconds: number;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): InvalidatorConfig {
  const common = commonConfig(env);
  const e = parseEnv(
    {
      INVALIDATOR_GROUP_ID: str('cache-invalidator'),
      INVALIDATOR_HEALTH_PORT: int(9104),
      INVALIDATOR_BATCH_MAX: int(1000, 1),
      INVALIDATOR_BATCH_WAIT_MS: int(10, 0),
      INVALIDATOR_CONCURRENCY: int(3, 1),
      INVALIDATOR_FROM_BEGINNING: bool(false),
      CACHE_PREFIX: str('dash'),
      CACHE_TTL_SECONDS: int(300, 1),
    },
    env,
  );
  const topics = topicsFor(common.topicPrefix);
  return {
    common,
    topics,
    consumer: {
      groupId: e.INVALIDATOR_GROUP_ID,
      topic: topics.changes,
      deadLetterTopic: topics.deadLetter,
      maxChunk: e.INVALIDATOR_BATCH_MAX,
      maxWaitMs: e.INVALIDATOR_BATCH_WAIT_MS,
      minBytes: 1,
      maxBytesPerPartition: 1024 * 1024,
      concurrency: e.INVALIDATOR_CONCURRENCY,
      fromBeginning: e.INVALIDATOR_FROM_BEGINNING,
      sessionTimeoutMs: common.kafkaSessionTimeoutMs,
      retryInBatchMs: common.consumerRetryInBatchMs,
      stuckAfterMs: common.consumerStuckAfterMs,
    },
    healthPort: e.INVALIDATOR_HEALTH_PORT,
    cachePrefix: e.CACHE_PREFIX,
    genTtlSeconds: 2 * e.CACHE_TTL_SECONDS + 60,
  };
}
