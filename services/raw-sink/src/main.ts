import { Pool } from 'pg';
import { createDecoder, createRegistry, decodeEventStep, ensureTopics, registryHealthCheck, topicsFor } from '@fan/events';
import { createKafka, retryUntilStopped, runConsumer } from '@fan/kafka-runner';
import { consumerMetrics, createLogger, createMetricsRegistry, exitOnFatal, onShutdown, startHealthServer } from '@fan/observability';
import { loadConfig } from './config';
import { maintainPartitions } from './partitions';
import { copyToPartitions } from './steps/copy-to-partitions';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('raw-sink', config.common.logLevel);
  const metricsRegistry = createMetricsRegistry('raw-sink');
  const pool = new Pool({ connectionString: config.common.databaseUrl, max: config.pgPoolSize });
  pool.on('error', (err) => logger.warn({ err: err.message }, 'idle Postgres connection failed'));
  const registry = createRegistry(config.common.registryUrl);
  const kafka = createKafka('raw-sink', config.common.kafkaBrokers, logger, config.common.kafkaSecurity);

  const maintain = async () => {
    const opts = { tz: config.common.businessTz, daysAhead: config.partitionDaysAhead, retentionDays: config.retentionDays };
    const r = await maintainPartitions(pool, opts);
    if (r.created.length || r.dropped.length) logger.info(r, 'raw_events partitions maintained');
  };
  // Postgres may still be coming up: wait for it rather than crash-loop.
  await retryUntilStopped(maintain, {
    isRunning: () => true,
    onRetry: (err, attempt, delayMs) => logger.warn({ err: (err as Error).message, attempt, delayMs }, 'partition maintenance failed at start-up; retrying'),
  });
  const timer = setInterval(() => maintain().catch((err: Error) => logger.error({ err: err.message }, 'partition maintenance failed')), config.maintenanceIntervalMs);

  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topicsFor(config.common.topicPrefix), config.common.eventPartitions);

  const running = await runConsumer({
    kafka,
    settings: config.consumer,
    decode: decodeEventStep(createDecoder(registry)),
    apply: copyToPartitions(pool),
    logger,
    metrics: consumerMetrics(metricsRegistry),
    registry: metricsRegistry,
  });

  const health = await startHealthServer(
    config.healthPort,
    {
      postgres: async () => void (await pool.query('SELECT 1')),
      partitions: running.partitionsHealth,
      kafka: async () => void (await admin.describeCluster()),
      registry: registryHealthCheck(config.common.registryUrl),
    },
    metricsRegistry,
  );
  logger.info({ healthPort: config.healthPort, group: config.consumer.groupId }, 'raw sink started');

  onShutdown(logger, async () => {
    clearInterval(timer);
    await running.stop(); // finishes the batch in hand, commits, leaves the group
    await admin.disconnect();
    health.close();
    await pool.end();
  });
}

main().catch(exitOnFatal('raw-sink'));
