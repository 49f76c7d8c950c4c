import { z } from 'zod';
import { bool, int, str } from './parse-env';

/**
 * The settings every process parses, grouped by the part of the stack they point at: the README's
 * "used by" column is derived from which processes use that part (`uses` in the manifest), so a
 * setting's users are never written by hand.
 */
export const KAFKA_SETTINGS = {
  KAFKA_BROKERS: str('127.0.0.1:9092').describe('comma-separated bootstrap brokers'),
  KAFKA_SASL_MECHANISM: z
    .enum(['plain', 'scram-sha-256', 'scram-sha-512'])
    .optional()
    .describe('`plain`, `scram-sha-256` or `scram-sha-512`, with `KAFKA_SASL_USERNAME` and `KAFKA_SASL_PASSWORD`'),
  KAFKA_SASL_USERNAME: z.string().optional().describe('SASL user (with `KAFKA_SASL_MECHANISM`)'),
  KAFKA_SASL_PASSWORD: z.string().optional().describe('SASL password (with `KAFKA_SASL_MECHANISM`; never logged)'),
  KAFKA_SSL: bool(false).describe('TLS to the brokers'),
  KAFKA_SSL_CA_FILE: z.string().min(1).optional().describe('PEM file of a private CA to trust (with `KAFKA_SSL=true`)'),
  KAFKA_SSL_REJECT_UNAUTHORIZED: bool(true).describe('refuse brokers whose certificate does not verify'),
  TOPIC_PREFIX: str('dashboard').describe('topics are `<prefix>.events`, `<prefix>.activity`, `<prefix>.changes` and `<prefix>.dlq`'),
  EVENT_PARTITIONS: int(12, 1).describe('partitions of the events, activity and changes topics when they are created'),
  KAFKA_SESSION_TIMEOUT_MS: int(10_000, 6_000).describe('a consumer silent this long (crashed) loses its partitions to the others'),
} as const;

export const REGISTRY_SETTINGS = {
  SCHEMA_REGISTRY_URL: str('http://127.0.0.1:8081/apis/ccompat/v7').describe(
    'Confluent-compatible registry API; `https://user:password@host/…` sends basic auth (never shown in logs or `/healthz`)',
  ),
} as const;

export const POSTGRES_SETTINGS = {
  DATABASE_URL: str('postgres://postgres@127.0.0.1:5432/dashboard').describe(
    'Postgres (created if missing by `npm run migrate`); libpq multi-host form for a primary and its standbys, e.g. `postgres://u@pg1:5432,pg2:5432/dashboard?target_session_attrs=read-write` (docs/RUNBOOK.md "Postgres failover")',
  ),
  PG_CONNECT_TIMEOUT_MS: int(5_000, 100).describe(
    'longest wait for a Postgres connection (from the pool or a new one); then a transient error',
  ),
  PG_STATEMENT_TIMEOUT_MS: int(30_000, 0).describe(
    'Postgres `statement_timeout` of every session (the rebuild: none); the client itself gives up 2 s later, for a Postgres that never answers; then a transient error, retried',
  ),
} as const;

export const REDIS_SETTINGS = {
  REDIS_URL: str('redis://127.0.0.1:6379').describe('Redis (the answer cache; presence HyperLogLogs in `hll` mode)'),
  CACHE_PREFIX: str('dash').describe('Redis key prefix'),
  CACHE_TTL_SECONDS: int(300, 1).describe('safety-net TTL of cached answers'),
  REDIS_CONNECT_TIMEOUT_MS: int(2_000, 100).describe('bound on connecting to Redis'),
  REDIS_COMMAND_TIMEOUT_MS: int(1_000, 10).describe('bound on one Redis command'),
} as const;

export const GENERAL_SETTINGS = {
  BUSINESS_TZ: str('Asia/Shanghai').describe('zone of business days and weeks'),
  LOG_LEVEL: str('info').describe('pino level'),
  NODE_ENV: z
    .string()
    .optional()
    .describe(
      '`production`: an unset, empty or development-default secret (or a `JWT_SECRET` under 32 bytes) stops the service, naming the variable',
    ),
  PRESENCE_DAU_MODE: z
    .enum(['exact', 'hll'])
    .default('exact')
    .describe(
      '`exact`: daily active identities as Postgres rows; `hll`: Redis HyperLogLogs (`PFADD`/`PFCOUNT`, 12 KB per day and place, ~0.81 % standard error)',
    ),
} as const;

/** Settings of every consumer group's runtime (not per group: the group's own are `<PREFIX>_*`). */
export const CONSUMER_RUNTIME_SETTINGS = {
  CONSUMER_RETRY_IN_BATCH_MS: int(5_000, 0).describe(
    'a failing partition holds its batch this long at most, then is paused alone and re-fetched with backoff (the others keep moving)',
  ),
  CONSUMER_STUCK_AFTER_MS: int(60_000, 1_000).describe(
    'a partition failing this long turns `/healthz` 503 (`pipeline_partition_stuck_seconds` shows it at once)',
  ),
} as const;

/** The parts of the stack a process talks to; each brings its settings. */
export const SETTINGS_OF_PART = {
  kafka: KAFKA_SETTINGS,
  registry: REGISTRY_SETTINGS,
  postgres: POSTGRES_SETTINGS,
  redis: REDIS_SETTINGS,
} as const;
export type StackPart = keyof typeof SETTINGS_OF_PART;

/** Everything commonConfig parses (every process validates all of it, as before). */
export const COMMON_SETTINGS = {
  ...KAFKA_SETTINGS,
  ...REGISTRY_SETTINGS,
  ...POSTGRES_SETTINGS,
  ...REDIS_SETTINGS,
  ...GENERAL_SETTINGS,
  ...CONSUMER_RUNTIME_SETTINGS,
} as const;
