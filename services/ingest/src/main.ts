import { createRegistry, registryHealthCheck } from '@fan/event-codec';
import { ensureTopics } from '@fan/kafka-runner';
import { createKafka } from '@fan/kafka-runner';
import { createLogger, createMetricsRegistry, exitOnFatal, onShutdown } from '@fan/observability';
import { createPublisher } from '@fan/producer';
import { createIngestApp } from './app';
import { loadConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('ingest', config.common.logLevel);
  const kafka = createKafka('ingest', config.common.kafkaBrokers, logger, config.common.kafkaSecurity);
  const topics = config.common.topics;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topics, config.common.eventPartitions);
  const registry = createRegistry(config.common.registryUrl);
  const publisher = await createPublisher({
    kafka,
    registry,
    registryUrl: config.common.registryUrl,
    topic: topics.events,
    activityTopic: topics.activity,
  });

  const app = createIngestApp({
    publisher,
    token: config.token,
    ackTimeoutMs: config.ackTimeoutMs,
    logger,
    metrics: createMetricsRegistry('ingest'),
    health: {
      kafka: async () => void (await admin.describeCluster()),
      registry: registryHealthCheck(config.common.registryUrl),
    },
  });
  const server = app.listen(config.port, () =>
    logger.info({ port: (server.address() as { port: number }).port, topic: topics.events }, 'ingest listening'),
  );

  onShutdown(logger, async () => {
    // Stop taking requests, let those in flight get their acknowledgement, then close the producer.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await publisher.close();
    await admin.disconnect();
  });
}

main().catch(exitOnFatal('ingest'));
