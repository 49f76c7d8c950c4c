import Redis from 'ioredis';
import { Pool } from 'pg';
import { runConsumerProcess } from '@fan/kafka-runner';
import { cacheKeys } from '@fan/read-contract';
import { createBumper } from './bump';
import { loadConfig } from './config';
import { decodeChange } from './decode-change';
import { invalidateStep } from './invalidate';

/**
 * Cache invalidator: reads the aggregators' change records and bumps the Redis generations of
 * exactly the answers that changed. While Redis is down it retries without committing, so no
 * invalidation is lost.
 */
runConsumerProcess({
  name: 'cache-invalidator',
  loadConfig,
  setup: async ({ config, logger }) => {
    const db = new Pool({ connectionString: config.common.databaseUrl, max: config.consumer.concurrency + 1 });
    db.on('error', (err) => logger.warn({ err }, 'idle Postgres connection failed'));
    const redis = new Redis(config.common.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 1000 });
    redis.on('error', () => undefined); // surfaces as a retried chunk
    return {
      decode: decodeChange,
      apply: invalidateStep(db, cacheKeys(config.common.cache.prefix), createBumper(redis, config.genTtlSeconds)),
      health: { postgres: async () => void (await db.query('SELECT 1')), redis: async () => void (await redis.ping()) },
      close: async () => {
        redis.disconnect();
        await db.end();
      },
    };
  },
});
