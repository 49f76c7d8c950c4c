import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ConsumerProcessConfig } from '@fan/config';
import {
  consumerMetrics,
  createLogger,
  createMetricsRegistry,
  exitOnFatal,
  onShutdown,
  startHealthServer,
  type HealthCheck,
} from '@fan/observability';
import type { ApplyStep, DecodeStep } from './batch-loop';
import { runConsumer } from './consumer';
import { startReferenceClock, type ReferenceTime } from './reference-clock';
import { createKafka } from './kafka-client';
import { ensureTopics } from './topics-admin';

/** What a consumer process's own code provides, built once its dependencies are reachable. */
export interface ConsumerSteps<T> {
  decode: DecodeStep<T>;
  apply: ApplyStep<T>;
  /** Checks of the process's own dependencies (Postgres, Redis, the registry) for /healthz. */
  health?: Record<string, HealthCheck>;
  /** Closes what setup opened; runs after the consumer committed and left its group. */
  close?: () => Promise<void>;
  /**
   * The time of a server this process writes to (Postgres, Redis), so that freshness is measured
   * on the deployment's clock when this host's is off (reference-clock.ts).
   */
  referenceTime?: ReferenceTime;
}

export interface ConsumerProcess<T, C extends ConsumerProcessConfig> {
  name: string;
  /** Reads the process's settings, once (a ConfigError stops it with a message naming the variable). */
  loadConfig: () => C;
  setup: (ctx: { config: C; logger: Logger; metrics: Registry; kafka: Kafka }) => Promise<ConsumerSteps<T>>;
}

/**
 * The one composition of a consumer process: logger and metrics, Kafka (its topics created if
 * missing), the process's steps, the consumer loop (decode → validate → apply → commit, with the
 * dead-letter path and the failure classification inside), /healthz and /metrics, and a graceful
 * stop on SIGTERM/SIGINT. A start-up failure is logged once and exits 1.
 */
export function runConsumerProcess<T, C extends ConsumerProcessConfig>(p: ConsumerProcess<T, C>): void {
  start(p).catch(exitOnFatal(p.name));
}

async function start<T, C extends ConsumerProcessConfig>({ name, loadConfig, setup }: ConsumerProcess<T, C>): Promise<void> {
  const config = loadConfig();
  const { common, consumer: settings } = config;
  const logger = createLogger(name, common.logLevel);
  const metrics = createMetricsRegistry(name);
  const kafka = createKafka(name, common.kafkaBrokers, logger, common.kafkaSecurity);
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, common.topics, common.eventPartitions);

  const steps = await setup({ config, logger, metrics, kafka });
  const clock = steps.referenceTime ? startReferenceClock(steps.referenceTime, { logger, registry: metrics }) : undefined;
  await clock?.first; // the first records' ages on the corrected clock too
  const running = await runConsumer({
    now: clock?.now,
    kafka,
    settings,
    decode: steps.decode,
    apply: steps.apply,
    logger,
    metrics: consumerMetrics(metrics),
    registry: metrics,
  });
  const health = await startHealthServer(
    config.healthPort,
    { ...steps.health, kafka: async () => void (await admin.describeCluster()), partitions: running.partitionsHealth },
    metrics,
  );
  logger.info({ group: settings.groupId, topic: settings.topic, healthPort: config.healthPort }, `${name} started`);

  onShutdown(logger, async () => {
    await running.stop(); // finishes the batch in hand, commits, leaves the group
    clock?.stop();
    await steps.close?.();
    await admin.disconnect();
    health.close();
  });
}
