import { createPool, createRedis, postgresTime } from '@fan/db';
import { gatheredApply, runConsumerProcess } from '@fan/kafka-runner';
import { cacheKeys, type ReadsChanged } from '@fan/read-contract';
import { createBumper } from './bump';
import { loadConfig } from './config';
import { decodeChange } from './decode-change';
import { invalidateStep } from './invalidate';

/**
 * Cache invalidator: reads the aggregators' change records and bumps the Redis generations of
 * exactly the answers that changed, then announces them to live pages. While Redis is down it
 * retries without committing, so no invalidation is lost.
 */
runConsumerProcess({
  name: 'cache-invalidator',
  loadConfig,
  setup: async ({ config, logger }) => {
    const db = createPool(config.common.databaseUrl, config.pgPoolSize, config.common.pg, logger);
    const redis = createRedis(config.common.redisUrl, 'request', config.common.redis);
    redis.on('error', () => undefined); // surfaces as a retried chunk
    const keys = cacheKeys(config.common.cache.prefix);
    // Live pages learn what changed only after it is invalidated (query API: /api/v1/dashboard/stream).
    const announce = async (changed: ReadsChanged[]) =>
      void (changed.length > 0 && (await redis.publish(keys.changesChannel, JSON.stringify(changed))));
    return {
      decode: decodeChange,
      apply: gatheredApply(invalidateStep(db, keys, createBumper(redis, config.genTtlSeconds), announce), {
        maxInFlight: config.applyInFlight,
        maxItems: 4 * config.consumer.maxChunk,
      }),
      health: { postgres: async () => void (await db.query('SELECT 1')), redis: async () => void (await redis.ping()) },
      referenceTime: postgresTime(db),
      close: async () => {
        redis.disconnect();
        await db.end();
      },
    };
  },
});
