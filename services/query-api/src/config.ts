import { ConfigError, commonConfig, ownSettings, secret, type CommonConfig, type PgBounds, type RedisBounds } from '@fan/config';
import { parseInstantText } from '@fan/events';

export interface QueryConfig {
  common: CommonConfig;
  port: number;
  jwtSecret: string;
  jwtMaxAgeSeconds: number;
  streamMax: number;
  streamMaxPerUser: number;
  tokenCacheBytes: number;
  heartbeatMinIntervalSeconds: number;
  streamKeepAliveMs: number;
  /** Pinned "now" (CLOCK_NOW), or undefined for the real clock. */
  clockNow?: number;
  pgPoolSize: number;
  /** The common bounds, with the reads' own shorter ones: a dashboard read waits seconds, not a consumer's 30 s. */
  pg: PgBounds;
  redis: RedisBounds;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): QueryConfig {
  const e = ownSettings('query-api', env);
  let clockNow: number | undefined;
  if (env.CLOCK_NOW) {
    // The one instant parser (CONTRACT §1), as the query parameters: Date.parse took 2026-02-30 as 2 March.
    const pinned = parseInstantText(env.CLOCK_NOW);
    if (typeof pinned === 'string') throw new ConfigError(`CLOCK_NOW ${pinned}, e.g. 2026-11-22T10:00:00+08:00 (got "${env.CLOCK_NOW}")`);
    clockNow = pinned;
  }
  const common = commonConfig(env);
  return {
    common,
    port: e.QUERY_PORT,
    jwtSecret: secret('JWT_SECRET', env),
    jwtMaxAgeSeconds: e.JWT_MAX_AGE_SECONDS,
    streamMax: e.QUERY_STREAM_MAX,
    streamMaxPerUser: e.QUERY_STREAM_MAX_PER_USER,
    tokenCacheBytes: e.QUERY_TOKEN_CACHE_BYTES,
    heartbeatMinIntervalSeconds: e.QUERY_HEARTBEAT_MIN_INTERVAL_SECONDS,
    streamKeepAliveMs: e.QUERY_STREAM_KEEPALIVE_MS,
    clockNow,
    pgPoolSize: e.QUERY_PG_POOL,
    pg: { ...common.pg, statementTimeoutMs: e.QUERY_PG_STATEMENT_TIMEOUT_MS },
    redis: { ...common.redis, commandTimeoutMs: e.QUERY_REDIS_COMMAND_TIMEOUT_MS },
  };
}
