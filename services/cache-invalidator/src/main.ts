import Redis from 'ioredis';
import { Pool } from 'pg';
import { cacheKeys } from '@fan/aggregation';
import { ensureTopics } from '@fan/events';
import { createKafka, runConsumer } from '@fan/kafka-runner';
import { consumerMetrics, createLogger, createMetricsRegistry, exitOnFatal, onShutdown, startHealthServer } from '@fan/observability';
import { createBumper } from './bump';
import { loadConfig } from './config';
import { decodeChange } from './decode-change';
import { invalidateStep } from './invalidate';

/**
 * Cache invalidator: reads the aggregators' change records and bumps the Redis generations of
 * exactly the answers that changed. While Redis is down it retries without committing, so no
 * invalidation is lost.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('cache-invalidator', config.common.logLevel);
  const metrics = createMetricsRegistry('cache-invalidator');
  const db = new Pool({ connectionString: config.common.databaseUrl, max: config.consumer.concurrency + 1 });
  db.on('error', (err) => logger.warn({ err: err.message }, 'idle Postgres connection failed'));
  const redis = new Redis(config.common.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 1000 });
  redis.on('error', () => undefined); // surfaces as a retried chunk
  const kafka = createKafka('cache-invalidator', config.common.kafkaBrokers, logger, config.common.kafkaSecurity);
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, config.topics, config.common.eventPartitions);

  const running = await runConsumer({
    kafka,
    settings: config.consumer,
    decode: decodeChange,
    apply: invalidateStep(db, cacheKeys(config.cachePrefix), createBumper(redis, config.genTtlSeconds)),
    logger,
    metrics: consumerMetrics(metrics),
    registry: metrics,
  });
  const health = await startHealthServer(
    config.healthPort,
    {
      postgres: async () => void (await db.query('SELECT 1')),
      partitions: running.partitionsHealth,
      redis: async () => void (await redis.ping()),
      kafka: async () => void (await admin.describeCluster()),
    },
    metrics,
  );
  logger.info({ group: config.consumer.groupId, topic: config.topics.changes }, 'cache invalidator started');
  onShutdown(logger, async () => {
    await running.stop();
    await admin.disconnect();
    health.close();
    redis.disconnect();
    await db.end();
  });
}

main().catch(exitOnFatal('cache-invalidator'));
