import Redis from 'ioredis';
import type { RedisBounds } from '@fan/config';

/**
 * The one way a process opens Redis, by what it uses it for:
 * - `request`: calls made while answering or applying (the answer cache, the invalidator): fail at
 *   once when Redis is away (no offline queue, no retry per command), each command bounded, so a
 *   read falls back to Postgres and an apply retries as transient instead of waiting.
 * - `worker`: background writes that may wait a little (presence, the rebuild): one retry, bounded.
 * - `subscriber`: a SUBSCRIBE connection, which waits for messages by design: reconnects forever.
 * Every kind bounds connecting, so a Redis that accepts but never answers is an error in seconds.
 */
export type RedisUse = 'request' | 'worker' | 'subscriber';

export function createRedis(url: string, use: RedisUse, bounds: RedisBounds): Redis {
  const connectTimeout = bounds.connectTimeoutMs;
  if (use === 'subscriber') return new Redis(url, { connectTimeout, maxRetriesPerRequest: null });
  if (use === 'worker') return new Redis(url, { connectTimeout, maxRetriesPerRequest: 1, commandTimeout: bounds.commandTimeoutMs });
  return new Redis(url, { connectTimeout, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: bounds.commandTimeoutMs });
}
