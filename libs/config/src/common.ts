import { COMMON_SETTINGS } from './common-settings';
import { kafkaSecurity, type KafkaSecurity } from './kafka-security';
import { ConfigError, parseEnv } from './parse-env';
import { topicsFor, type Topics } from './topics';

type Env = Record<string, string | undefined>;

/** Settings every pipeline process shares: where Kafka, the registry, Postgres and Redis are. */
export interface CommonConfig {
  kafkaBrokers: string[];
  kafkaSecurity: KafkaSecurity;
  registryUrl: string;
  topicPrefix: string;
  /** The topic names of this prefix, derived once. */
  topics: Topics;
  eventPartitions: number;
  databaseUrl: string;
  redisUrl: string;
  businessTz: string;
  logLevel: string;
  kafkaSessionTimeoutMs: number;
  consumerRetryInBatchMs: number;
  consumerStuckAfterMs: number;
  /**
   * How daily active identities are counted (PRESENCE_DAU_MODE): `exact` (Postgres rows, grows with
   * identities) or `hll` (Redis HyperLogLog, 12 KB per day and place, ~0.81 % standard error).
   */
  presenceDauMode: 'exact' | 'hll';
  /** Redis key prefix and safety-net TTL of cached answers (query API, invalidator, rebuild). */
  cache: { prefix: string; ttlSeconds: number };
  /** Bounds on every Postgres call (docs/RELIABILITY.md): a Postgres that stops answering is an error, not a hang. */
  pg: PgBounds;
  /** Bounds on every Redis call. */
  redis: RedisBounds;
}

export interface PgBounds {
  /** Waiting for a pooled connection, connecting included (PG_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs: number;
  /** statement_timeout of every session (PG_STATEMENT_TIMEOUT_MS); 0 = none (the rebuild). */
  statementTimeoutMs: number;
}

export interface RedisBounds {
  /** Connecting (REDIS_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs: number;
  /** One command's answer (REDIS_COMMAND_TIMEOUT_MS). */
  commandTimeoutMs: number;
}

export function commonConfig(env: Env = process.env): CommonConfig {
  const e = parseEnv(COMMON_SETTINGS, env);
  try {
    new Intl.DateTimeFormat('en', { timeZone: e.BUSINESS_TZ });
  } catch {
    throw new ConfigError(`BUSINESS_TZ: unknown time zone "${e.BUSINESS_TZ}"`);
  }
  return {
    kafkaBrokers: e.KAFKA_BROKERS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    kafkaSecurity: kafkaSecurity(env),
    registryUrl: e.SCHEMA_REGISTRY_URL.replace(/\/+$/, ''),
    topicPrefix: e.TOPIC_PREFIX,
    topics: topicsFor(e.TOPIC_PREFIX),
    eventPartitions: e.EVENT_PARTITIONS,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    businessTz: e.BUSINESS_TZ,
    logLevel: e.LOG_LEVEL,
    kafkaSessionTimeoutMs: e.KAFKA_SESSION_TIMEOUT_MS,
    consumerRetryInBatchMs: e.CONSUMER_RETRY_IN_BATCH_MS,
    consumerStuckAfterMs: e.CONSUMER_STUCK_AFTER_MS,
    presenceDauMode: e.PRESENCE_DAU_MODE,
    cache: { prefix: e.CACHE_PREFIX, ttlSeconds: e.CACHE_TTL_SECONDS },
    pg: { connectTimeoutMs: e.PG_CONNECT_TIMEOUT_MS, statementTimeoutMs: e.PG_STATEMENT_TIMEOUT_MS },
    redis: { connectTimeoutMs: e.REDIS_CONNECT_TIMEOUT_MS, commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS },
  };
}
