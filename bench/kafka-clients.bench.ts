/**
 * kafkajs (the current client) against @platformatic/kafka, on the same broker in the same run:
 *   produce — idempotent producer, acks=all, batches of 100 records from 10 concurrent callers for
 *             BENCH_SECONDS (default 8): records/s, per-send latency p50/p99, CPU µs per record
 *   consume — BENCH_EVENTS (default 500,000) records pre-produced into a 12-partition topic, read
 *             from the beginning by a fresh group: records/s, CPU µs per record
 * BENCH_RUNS (default 3); medians are quoted. Appends to docs/BENCHMARKS.md.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Partitioners, type Admin, type Kafka } from 'kafkajs';
import { Consumer, Producer, compatibilityPartitioner, stringSerializer } from '@platformatic/kafka';
import { createTestTopics, stackEnv, uniqueName } from '@fan/test-support';
import { median, quantile, report, type Row } from './lib/report';

const N = Number(process.env.BENCH_EVENTS ?? 500_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const BATCH = 100;
const CALLERS = 10;
const BROKERS = stackEnv().KAFKA_BROKERS.split(',');
// Same fetch sizes for both clients (kafkajs' defaults; @platformatic/kafka would fetch 10 MB per partition).
const FETCH = { maxBytes: 10 * 1024 * 1024, maxBytesPerPartition: 1024 * 1024, maxWaitMs: 500 };

type Rec = { key: string; value: Buffer };
type Send = (records: Rec[]) => Promise<void>;
interface Client {
  name: string;
  producer(topic: string): Promise<{ send: Send; close(): Promise<void> }>;
  /**
   * Resolves once `count` records arrived, timed from joining the group: that leaves the join out but
   * keeps the first fetch in (a first fetch of 10 MB is most of a small topic, so timing from the first
   * record would flatter whichever client hands out a whole fetch at once).
   */
  consume(topic: string, count: number): Promise<{ ms: number; cpuUs: number }>;
}

/** Keys like the pipeline's `star:user` (spread over the partitions); 120 random bytes as value. */
function batches(n: number): Rec[][] {
  const id = (max: number) => Math.floor(Math.random() * max);
  return Array.from({ length: n }, () =>
    Array.from({ length: BATCH }, () => ({ key: `${id(50)}:${100_000 + id(900_000)}`, value: randomBytes(120) })),
  );
}

const cpuUs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return d.user + d.system;
};
/** A wall-clock and CPU window that opens at the first start() (a rebalance may join twice). */
function timeWindow() {
  let t0 = 0;
  let cpu0 = process.cpuUsage();
  return {
    start() {
      if (t0) return;
      t0 = performance.now();
      cpu0 = process.cpuUsage();
    },
    stop: () => ({ ms: performance.now() - t0, cpuUs: cpuUs(cpu0) }),
  };
}

function kafkajsClient(kafka: Kafka): Client {
  return {
    name: 'kafkajs',
    async producer(topic) {
      // Configured as libs/producer and libs/kafka-runner configure it.
      const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
      await p.connect();
      return { send: async (messages) => void (await p.send({ topic, acks: -1, messages })), close: () => p.disconnect() };
    },
    async consume(topic, count) {
      const c = kafka.consumer({
        groupId: uniqueName('bench'),
        maxBytes: FETCH.maxBytes,
        maxBytesPerPartition: FETCH.maxBytesPerPartition,
        maxWaitTimeInMs: FETCH.maxWaitMs,
      });
      await c.connect();
      await c.subscribe({ topic, fromBeginning: true });
      let seen = 0;
      const w = timeWindow();
      c.on(c.events.GROUP_JOIN, w.start);
      const out = new Promise<{ ms: number; cpuUs: number }>((resolve) => {
        // eachBatch is kafkajs' cheapest path (the services use it too); eachMessage costs a promise per record.
        void c.run({
          eachBatch: async ({ batch }) => {
            seen += batch.messages.length;
            if (seen >= count) resolve(w.stop());
          },
        });
      });
      const r = await out;
      await c.disconnect();
      return r;
    },
  };
}

function platformaticClient(): Client {
  return {
    name: '@platformatic/kafka',
    async producer(topic) {
      // idempotent: true makes the client init a producer id, force acks=all and one request in flight
      // per connection. compatibilityPartitioner is the Java/kafkajs murmur2, so keys land where they do today.
      const p = new Producer({
        clientId: uniqueName('plt'),
        bootstrapBrokers: BROKERS,
        idempotent: true,
        acks: -1,
        partitioner: compatibilityPartitioner,
        serializers: { key: stringSerializer },
      });
      // 1.35 reads a partition's sequence number when it builds the request but advances it only on the
      // response, so overlapping send() calls reuse sequences: the broker takes the repeats for retries,
      // acks them and drops their records (platformatic/kafka#326), then fails with OUT_OF_ORDER_SEQUENCE.
      // So sends are queued one at a time here, which is what kafkajs' per-broker idempotence lock does.
      let tail: Promise<unknown> = Promise.resolve();
      const send: Send = (records) => {
        const run = tail.then(() => p.send({ messages: records.map((r) => ({ topic, key: r.key, value: r.value })) }));
        tail = run.catch(() => undefined);
        return run.then(() => undefined);
      };
      return { send, close: () => p.close() };
    },
    async consume(topic, count) {
      const c = new Consumer({
        clientId: uniqueName('plt'),
        groupId: uniqueName('bench'),
        bootstrapBrokers: BROKERS,
        maxBytes: FETCH.maxBytes,
        maxBytesPerPartition: FETCH.maxBytesPerPartition,
        maxWaitTime: FETCH.maxWaitMs,
      });
      let seen = 0;
      const w = timeWindow();
      c.on('consumer:group:join', w.start);
      // committed + fallback earliest = kafkajs' fromBeginning for a group without offsets.
      const stream = await c.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest' });
      const r = await new Promise<{ ms: number; cpuUs: number }>((resolve, reject) => {
        stream.on('error', reject);
        stream.on('data', () => {
          if (++seen === count) resolve(w.stop());
        });
      });
      await stream.close();
      await c.close();
      return r;
    },
  };
}

/** Sum of the partitions' end offsets: how many records the broker really appended. */
async function endOffset(admin: Admin, topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
}

async function produceCase(client: Client, admin: Admin, topic: string, pool: Rec[][]) {
  const p = await client.producer(topic);
  await p.send(pool[0]!); // connects, fetches metadata and inits the producer id outside the timed window
  const before = await endOffset(admin, topic);
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CALLERS }, async (_, caller) => {
      for (let i = caller; performance.now() < end; i += CALLERS) {
        const s = performance.now();
        await p.send(pool[i % pool.length]!);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const ms = performance.now() - t0;
  const cpu = cpuUs(cpu0);
  await p.close();
  const acked = latencies.length * BATCH;
  // An idempotent producer must neither lose nor duplicate: the broker should hold exactly what was acked.
  const written = (await endOffset(admin, topic)) - before;
  return { rate: (acked / ms) * 1000, p50: median(latencies), p99: quantile(latencies, 0.99), cpu: cpu / acked, acked, written };
}

async function main() {
  const t = await createTestTopics(12);
  const { events: consumeTopic, changes: produceTopic } = t.topics;
  const clients = [kafkajsClient(t.kafka), platformaticClient()];
  const pool = batches(200);
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    console.log(`pre-producing ${N} records…`);
    const seed = t.kafka.producer();
    await seed.connect();
    const records = batches(50).flat();
    for (let i = 0; i < N; i += 5000) {
      await seed.send({
        topic: consumeTopic,
        acks: -1,
        messages: Array.from({ length: Math.min(5000, N - i) }, (_, j) => records[(i + j) % records.length]!),
      });
    }
    await seed.disconnect();

    for (const client of clients) {
      const runs: Array<Awaited<ReturnType<typeof produceCase>>> = [];
      for (let r = 0; r < RUNS; r++) {
        const x = await produceCase(client, t.admin, produceTopic, pool);
        console.log(
          `${client.name} produce run ${r + 1}: ${Math.round(x.rate)} rec/s, p50 ${x.p50.toFixed(1)} ms, p99 ${x.p99.toFixed(1)} ms, ${x.cpu.toFixed(1)} µs/rec, acked ${x.acked}, written ${x.written}`,
        );
        if (x.written !== x.acked)
          notes.push(`${client.name} produce run ${r + 1}: ${x.acked} records acknowledged but ${x.written} appended.`);
        runs.push(x);
      }
      const m = (f: (x: (typeof runs)[number]) => number, digits = 1) => median(runs.map(f)).toFixed(digits);
      rows.push({
        case: `${client.name} produce`,
        'records/s': m((x) => x.rate, 0),
        'p50 ms': m((x) => x.p50),
        'p99 ms': m((x) => x.p99),
        'CPU µs/rec': m((x) => x.cpu),
      });
    }
    for (const client of clients) {
      const runs: Array<{ ms: number; cpuUs: number }> = [];
      for (let r = 0; r < RUNS; r++) {
        const x = await client.consume(consumeTopic, N);
        console.log(`${client.name} consume run ${r + 1}: ${Math.round((N / x.ms) * 1000)} rec/s, ${(x.cpuUs / N).toFixed(1)} µs/rec`);
        runs.push(x);
      }
      rows.push({
        case: `${client.name} consume`,
        'records/s': median(runs.map((x) => (N / x.ms) * 1000)).toFixed(0),
        'CPU µs/rec': median(runs.map((x) => x.cpuUs / N)).toFixed(1),
      });
    }
  } finally {
    await t.cleanup();
  }
  report(
    'Kafka clients: kafkajs vs @platformatic/kafka',
    `BENCH_EVENTS=${N} BENCH_RUNS=${RUNS} BENCH_SECONDS=${SECONDS} npm run bench:kafka-clients`,
    rows,
    [
      `produce: idempotent, acks=all, ${CALLERS} concurrent callers each awaiting send() of ${BATCH} records (~120-byte values), ${SECONDS} s per run, 12 partitions.`,
      `consume: ${N} records from the beginning with a fresh group; timed from joining the group (the join itself excluded); fetch ${FETCH.maxBytesPerPartition / 2 ** 20} MiB/partition, ${FETCH.maxBytes / 2 ** 20} MiB/request for both.`,
      '@platformatic/kafka 1.35 loses records when idempotent send() calls overlap (platformatic/kafka#326), so its sends are serialised in the bench, as kafkajs serialises idempotent requests per broker.',
      'CPU is process.cpuUsage() of the bench process (user + system) over the timed window, divided by records.',
      ...notes,
    ],
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
