import { Partitioners, type Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import { consumerMetrics } from '@fan/observability';
import { createTestTopics, silentLogger, uniqueName, waitFor, type TestTopics } from '@fan/test-support';
import { runConsumer, type RunningConsumer } from '../src/consumer';

/**
 * A partition whose records keep failing with an error that is neither transient nor the record's
 * fault (here: a bug on partition 0) is retried forever, but alone: the other partitions of the same
 * consumer are applied and committed to their end, the stall shows in /healthz and the gauge, and
 * the partition is applied once the bug is gone.
 */
describe('one stuck partition never holds the others back (real Kafka)', () => {
  let t: TestTopics;
  let producer: Producer;
  let running: RunningConsumer | undefined;
  beforeAll(async () => {
    t = await createTestTopics(3);
    // Idempotent: the test counts offsets exactly, and a retried send (a partition without a leader
    // yet, right after the topic was created) would otherwise write the other partitions' records twice.
    producer = t.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
  });
  afterAll(async () => {
    await running?.stop();
    await producer.disconnect();
    await t.cleanup();
  });

  it('partitions 1 and 2 reach their end while 0 fails; health names partition 0; 0 catches up after', async () => {
    const groupId = uniqueName('stuck');
    let broken = true;
    const applied = new Map<number, number>();
    const registry = new Registry();
    const send = (round: number) =>
      producer.send({
        topic: t.topics.events,
        acks: -1,
        messages: [0, 1, 2].flatMap((partition) =>
          Array.from({ length: 20 }, (_, i) => ({ partition, value: `r${round}-${partition}-${i}` })),
        ),
      });
    await send(1);
    running = await runConsumer({
      kafka: t.kafka,
      settings: {
        groupId,
        topic: t.topics.events,
        deadLetterTopic: t.topics.deadLetter,
        maxChunk: 100,
        maxWaitMs: 50,
        minBytes: 1,
        maxBytesPerPartition: 1 << 20,
        concurrency: 1,
        fromBeginning: true,
        sessionTimeoutMs: 10_000,
        retryInBatchMs: 500,
        stuckAfterMs: 2000,
      },
      decode: (m) => m.value!.toString(),
      apply: async (items, partition) => {
        if (partition === 0 && broken) throw new TypeError("Cannot read properties of undefined (reading 'level')");
        applied.set(partition, (applied.get(partition) ?? 0) + items.length);
        return { applied: items.length, duplicates: 0 };
      },
      logger: silentLogger(),
      metrics: consumerMetrics(registry),
      registry,
    });
    const committed = async () => {
      const [o] = await t.admin.fetchOffsets({ groupId, topics: [t.topics.events] });
      return Object.fromEntries(o!.partitions.map((x) => [x.partition, x.offset]));
    };
    // Three more rounds while partition 0 is failing: with concurrency 1, a blocking retry on
    // partition 0 would starve 1 and 2.
    for (let round = 2; round <= 4; round++) {
      await new Promise((r) => setTimeout(r, 700));
      await send(round);
    }
    await waitFor(
      'partitions 1 and 2 at their end',
      async () => {
        const c = await committed();
        return c[1] === '80' && c[2] === '80' ? c : undefined;
      },
      30_000,
      100,
    );
    expect((await committed())[0]).toBe('-1');
    expect(applied.get(0)).toBeUndefined();

    await waitFor(
      'stall reported',
      async () =>
        running!.partitionsHealth().then(
          () => false,
          () => true,
        ),
      10_000,
      100,
    );
    await expect(running.partitionsHealth()).rejects.toThrow(
      new RegExp(
        `^${t.topics.events.replace(/\./g, '\\.')}\\[0\\] failing for \\d+ s \\(\\d+ attempts\\): Cannot read properties of undefined`,
      ),
    );
    expect(await registry.getSingleMetricAsString('pipeline_partition_stuck_seconds')).toMatch(
      /pipeline_partition_stuck_seconds\{topic="[^"]+",partition="0"\} [1-9]/,
    );

    broken = false;
    await waitFor('partition 0 caught up', async () => ((await committed())[0] === '80' ? true : undefined), 30_000, 100);
    expect(Object.fromEntries(applied)).toEqual({ 0: 80, 1: 80, 2: 80 });
    await expect(running.partitionsHealth()).resolves.toBeUndefined();
  });
});
