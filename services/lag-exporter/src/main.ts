import { Gauge } from 'prom-client';
import { createKafka } from '@fan/kafka-runner';
import { createLogger, createMetricsRegistry, exitOnFatal, onShutdown, startHealthServer } from '@fan/observability';
import { loadConfig } from './config';
import { partitionLags, type PartitionEnds } from './lag';

/**
 * Consumer lag seen from the broker (committed group offsets against topic end offsets), for every
 * consumer group of the pipeline. The consumers' own pipeline_consumer_lag vanishes with the
 * process that reports it; this does not, so "a group stopped and work piles up" can alert.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('lag-exporter', config.common.logLevel);
  const metrics = createMetricsRegistry('lag-exporter');
  const lag = new Gauge({
    name: 'pipeline_group_lag',
    help: "Records not yet committed by the group, per partition (topic end offset minus the group's committed offset), from the broker",
    labelNames: ['group', 'topic', 'partition'] as const,
    registers: [metrics],
  });
  const kafka = createKafka('lag-exporter', config.common.kafkaBrokers, logger, config.common.kafkaSecurity);
  const admin = kafka.admin();
  await admin.connect();
  let lastPoll = 0;

  const poll = async () => {
    const ends = new Map<string, PartitionEnds[]>();
    const rows: Array<{ group: string; topic: string; partition: number; lag: number }> = [];
    // A topic is created by the first consumer that starts; until then there is nothing to lag on
    // (and asking for its offsets would only retry and log).
    const existing = new Set(await admin.listTopics());
    for (const g of config.groups.filter((x) => existing.has(x.topic))) {
      const topicEnds = ends.get(g.topic) ?? (await admin.fetchTopicOffsets(g.topic));
      ends.set(g.topic, topicEnds);
      const [offsets] = await admin.fetchOffsets({ groupId: g.groupId, topics: [g.topic] });
      const committed = new Map((offsets?.partitions ?? []).map((p) => [p.partition, p.offset]));
      for (const p of partitionLags(topicEnds, committed, g.fromBeginning)) rows.push({ group: g.groupId, topic: g.topic, ...p });
    }
    // Replaced in one synchronous step, so a scrape never sees half a poll or a partition that is gone.
    lag.reset();
    for (const r of rows) lag.set({ group: r.group, topic: r.topic, partition: String(r.partition) }, r.lag);
    lastPoll = Date.now();
  };
  // A failed poll (Kafka away, a topic just created and without a leader yet) is retried at the next
  // interval; stale figures would hide an outage behind the last good ones, so they are dropped.
  const pollOrLog = () =>
    poll().catch((err: Error) => {
      lag.reset();
      logger.warn({ err: err.message }, 'lag poll failed; retrying at the next interval');
    });
  let polling: Promise<void> | undefined = pollOrLog().finally(() => (polling = undefined));
  // A slow poll (kafkajs retrying) is not overlapped by the next one.
  const timer = setInterval(() => void (polling ??= pollOrLog().finally(() => (polling = undefined))), config.pollIntervalMs);

  const health = await startHealthServer(
    config.port,
    {
      kafka: async () => void (await admin.describeCluster()),
      poll: async () => {
        if (lastPoll === 0) throw new Error('no successful poll yet');
        const age = Date.now() - lastPoll;
        if (age > 3 * config.pollIntervalMs) throw new Error(`last successful poll ${age} ms ago`);
      },
    },
    metrics,
  );
  logger.info({ groups: config.groups.map((g) => `${g.groupId}@${g.topic}`), port: config.port }, 'lag-exporter started');

  onShutdown(logger, async () => {
    clearInterval(timer);
    await polling;
    await admin.disconnect();
    health.close();
  });
}

main().catch(exitOnFatal('lag-exporter'));
