import { Partitioners } from 'kafkajs';
import { Pool } from 'pg';
import type { EventType } from '@fan/events';
import { createDecoder, createRegistry, decodeEventStep, ensureTopics, registryHealthCheck } from '@fan/events';
import { createKafka, runConsumer } from '@fan/kafka-runner';
import { consumerMetrics, createLogger, createMetricsRegistry, onShutdown, startHealthServer } from '@fan/observability';
import { aggregatorApplyStep, type AggregateStore } from './apply-step';
import { pruneAppliedEvents } from './prune-applied';
import type { AggregatorConfig } from './config';

/**
 * Composition of an aggregator process: decode → validate → (claim + aggregate + announce) →
 * commit, with the dead-letter path beside it, /healthz and /metrics, and a graceful stop.
 */
export async function runAggregator(name: string, types: ReadonlySet<EventType>, store: AggregateStore, config: AggregatorConfig): Promise<void> {
  const logger = createLogger(name, config.common.logLevel);
  const metrics = createMetricsRegistry(name);
  const pool = new Pool({ connectionString: config.common.databaseUrl, max: config.pgPoolSize });
  pool.on('error', (err) => logger.warn({ err: err.message }, 'idle Postgres connection failed'));
  const kafka = createKafka(name, config.common.kafkaBrokers, logger, config.common.kafkaSecurity);
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, config.topics, config.common.eventPartitions);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();

  const running = await runConsumer({
    kafka,
    settings: config.consumer,
    decode: decodeEventStep(createDecoder(createRegistry(config.common.registryUrl))),
    apply: aggregatorApplyStep({ name, types, store, pool, producer, changesTopic: config.topics.changes, tz: config.common.businessTz }),
    logger,
    metrics: consumerMetrics(metrics),
    registry: metrics,
  });
  const health = await startHealthServer(
    config.healthPort,
    {
      postgres: async () => void (await pool.query('SELECT 1')),
      partitions: running.partitionsHealth,
      kafka: async () => void (await admin.describeCluster()),
      registry: registryHealthCheck(config.common.registryUrl),
    },
    metrics,
  );
  logger.info({ group: config.consumer.groupId, healthPort: config.healthPort, types: [...types] }, 'aggregator started');

  const prune = () =>
    pruneAppliedEvents(pool, name, config.appliedRetentionDays).then(
      (n) => n > 0 && logger.info({ pruned: n, retentionDays: config.appliedRetentionDays }, 'old exactly-once claims pruned'),
      (err: unknown) => logger.warn({ err }, 'pruning exactly-once claims failed; will retry next hour'),
    );
  const pruneTimer = setInterval(() => void prune(), 3_600_000);
  pruneTimer.unref();
  void prune();

  onShutdown(logger, async () => {
    clearInterval(pruneTimer);
    await running.stop();
    await producer.disconnect();
    await admin.disconnect();
    health.close();
    await pool.end();
  });
}
