/**
 * Raw sink throughput against the machine's limits, on the same data in the same run:
 *   limit A  — consume-only rate of the topic with kafkajs eachBatch (without / with Avro decode)
 *   limit B  — COPY of the same rows from memory into the same partitioned table
 *   raw sink — the real process (decode, validate, COPY + de-duplicating merge, commit)
 *   baseline — the original plan: multi-row INSERT … ON CONFLICT DO NOTHING in batches of 100
 * BENCH_EVENTS (default 1,000,000), BENCH_RUNS (default 3). Appends to docs/BENCHMARKS.md.
 */
import os from 'node:os';
import type { Kafka } from 'kafkajs';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { eventKey, type DashboardEvent } from '@fan/events';
import { createDecoder, createRegistry, decodeEventStep } from '@fan/event-codec';
import { maintainPartitions } from '../services/raw-sink/src/partitions';
import { RAW_COLUMNS, copyChunk } from '../services/raw-sink/src/steps/copy-binary';
import { createTestPipeline, stackEnv, uniqueName, waitFor, type TestPipeline } from '@fan/test-support';
import { median, peakRssMb, report } from './lib/report';
import { cpuMeter, pidsNamed, pidsWithArg } from './lib/cpu';
import { pgActivity, type PgActivity } from './lib/pg-activity';
import { profileArgs } from './lib/profile';
import { useBuiltServices } from './lib/services';
import { realisticEvents, typeMix } from './lib/events';

const N = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Raw sink processes in the one consumer group (how an SRE scales it out; 1 = the process alone). */
const SINKS = Number(process.env.BENCH_SINK_PROCESSES ?? 1);

async function consumeAll(kafka: Kafka, topic: string, onBatch: (values: Array<Buffer | null>) => Promise<void>): Promise<number> {
  const consumer = kafka.consumer({
    groupId: uniqueName('bench'),
    maxBytesPerPartition: 4 * 1024 * 1024,
    minBytes: 65536,
    maxWaitTimeInMs: 200,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let first = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch }) => {
      if (!first) first = Date.now();
      await onBatch(batch.messages.map((m) => m.value));
      seen += batch.messages.length;
      if (seen >= N) done();
    },
  });
  await finished;
  const ms = Date.now() - first;
  await consumer.disconnect();
  return (N / ms) * 1000;
}

function cpuColumns(samples: Array<Record<string, number>>): Record<string, string> {
  if (!samples.length) return {};
  const us = (k: string) => ((median(samples.map((s) => s[k] ?? 0)) * 1e6) / N).toFixed(1);
  return { 'node µs/ev': us('node'), 'postgres µs/ev': us('postgres'), 'kafka µs/ev': us('kafka'), 'machine µs/ev': us('machine') };
}

function copyIn(c: PoolClient, sql: string, data: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const s = c.query(copyFrom(`${sql} FROM STDIN (FORMAT binary)`));
    s.on('finish', resolve).on('error', reject);
    s.end(data);
  });
}

async function resetTables(p: TestPipeline) {
  await p.db.pool.query('TRUNCATE raw_events, raw_event_ids');
}

async function main() {
  const runtime = useBuiltServices(['raw-sink']);
  const p = await createTestPipeline('bench', 12);
  const topic = p.topics.topics.events;
  await maintainPartitions(p.db.pool, { tz: 'Asia/Shanghai', daysAhead: 7, retentionDays: 30, folders: [] });
  console.log(`generating ${N} events…`);
  const events = realisticEvents(N);
  const registry = createRegistry(stackEnv().SCHEMA_REGISTRY_URL);
  const { createEncoder, registerSchemas } = await import('@fan/event-codec');
  const encode = createEncoder(registry, await registerSchemas(stackEnv().SCHEMA_REGISTRY_URL));
  const producer = p.topics.kafka.producer();
  await producer.connect();
  const t0 = Date.now();
  for (let i = 0; i < N; i += 5000) {
    const chunk = events.slice(i, i + 5000);
    await producer.send({
      topic,
      acks: -1,
      messages: await Promise.all(chunk.map(async (e) => ({ key: eventKey(e), value: await encode(e) }))),
    });
  }
  console.log(`produced in ${Date.now() - t0} ms`);
  const recordBytes =
    (await Promise.all(events.slice(0, 10_000).map((e) => encode(e)))).reduce((s, b) => s + b.length, 0) / Math.min(N, 10_000);
  await producer.disconnect();
  const admin = p.topics.kafka.admin();
  await admin.connect();

  const decode = decodeEventStep(createDecoder(registry));
  // Limit B copies what the sink sends, built beforehand: COPY (FORMAT binary) chunks of 5,000.
  const chunks: Array<{ rows: Buffer; ids: Buffer }> = [];
  for (let i = 0; i < N; i += 5000)
    chunks.push(
      copyChunk(
        events.slice(i, i + 5000).map((e, j) => ({ event: e, offset: String(i + j) })),
        i % 12,
      ),
    );
  const results: Record<string, number[]> = {
    'limit A: consume only': [],
    'limit A: consume + decode + validate': [],
    'limit B: COPY from memory': [],
    'limit B + de-duplication key': [],
    'raw sink (process)': [],
    'baseline: INSERT batches of 100': [],
  };
  const rss: string[] = [];
  let storedBytes = 0;
  // CPU µs per event spent by the consuming node process, Postgres, the Kafka broker and the whole machine.
  const cpu: Record<string, Array<Record<string, number>>> = {};
  const metered = async <T>(name: string, nodePid: () => number, work: () => Promise<T>): Promise<T> => {
    const m = cpuMeter({ node: () => [nodePid()], postgres: () => pidsNamed('postgres'), kafka: () => pidsWithArg('kafka.Kafka') });
    const out = await work();
    (cpu[name] ??= []).push(m.stop());
    return out;
  };
  // What Postgres was asked to do: transactions and WAL, for the cases writing the same rows with the key.
  const activity: Record<string, PgActivity[]> = {};
  const self = () => process.pid;
  for (let run = 1; run <= RUNS; run++) {
    console.log(`run ${run}/${RUNS}`);
    results['limit A: consume only']!.push(
      await metered('limit A: consume only', self, () => consumeAll(p.topics.kafka, topic, async () => undefined)),
    );
    results['limit A: consume + decode + validate']!.push(
      await metered('limit A: consume + decode + validate', self, () =>
        consumeAll(p.topics.kafka, topic, async (values) => {
          for (const v of values) {
            const d = decode({ value: v } as never);
            if (d instanceof Promise) await d;
          }
        }),
      ),
    );

    await resetTables(p);
    const c = await p.db.pool.connect();
    const tb = Date.now();
    await metered('limit B: COPY from memory', self, async () => {
      for (const chunk of chunks) await copyIn(c, `COPY raw_events (${RAW_COLUMNS})`, chunk.rows);
    });
    results['limit B: COPY from memory']!.push((N / (Date.now() - tb)) * 1000);

    // What the sink asks of Postgres beyond limit B: the de-duplication key (raw_event_ids), in the
    // same transaction as the rows, chunk by chunk — the sink's Postgres work without Kafka or decoding.
    await resetTables(p);
    const keyActivity = await pgActivity(p.db.pool);
    const tk = Date.now();
    await metered('limit B + de-duplication key', self, async () => {
      for (const chunk of chunks) {
        await c.query('BEGIN');
        await copyIn(c, 'COPY raw_event_ids (event_id, occurred_at)', chunk.ids);
        await copyIn(c, `COPY raw_events (${RAW_COLUMNS})`, chunk.rows);
        await c.query('COMMIT');
      }
    });
    results['limit B + de-duplication key']!.push((N / (Date.now() - tk)) * 1000);
    (activity['limit B + de-duplication key'] ??= []).push(await keyActivity());
    c.release();

    await resetTables(p);
    const sinkActivity = await pgActivity(p.db.pool);
    const group = uniqueName('bench-sink');
    const sinks = Array.from({ length: SINKS }, () => p.start('raw-sink', { RAW_SINK_GROUP_ID: group, LOG_LEVEL: 'warn' }, profileArgs()));
    const sink = sinks[0]!;
    // Progress from the sink's committed offsets (it commits only what is durable), not by counting
    // rows: a count(*) every 100 ms would take Postgres time away from the process being measured.
    const committed = async () => {
      const [t] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      return (t?.partitions ?? []).reduce((sum, x) => sum + Math.max(0, Number(x.offset)), 0);
    };
    const first = await waitFor('first chunk', async () => ((await committed()) > 0 ? Date.now() : undefined), 120_000, 10).catch(
      (err: Error) => {
        throw new Error(`${err.message}; raw sink said:\n${sink.output().slice(-4000)}`);
      },
    );
    // Measured from the first committed chunk, as the rate is, so start-up is left out.
    const sinkCpu = cpuMeter({
      node: () => sinks.map((s) => s.child.pid!),
      postgres: () => pidsNamed('postgres'),
      kafka: () => pidsWithArg('kafka.Kafka'),
    });
    await waitFor('all committed', async () => (await committed()) >= N, 1_800_000, 50);
    results['raw sink (process)']!.push((N / (Date.now() - first)) * 1000);
    (cpu['raw sink (process)'] ??= []).push(sinkCpu.stop());
    (activity['raw sink (process)'] ??= []).push(await sinkActivity());
    const stored = (await p.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM raw_events')).rows[0]!.n;
    if (stored !== N) throw new Error(`raw sink stored ${stored} rows of ${N}`);
    // What an event costs on disk, for capacity planning (docs/RUNBOOK.md): rows, TOAST and indexes.
    storedBytes = Number(
      (
        await p.db.pool.query<{ b: string }>(
          `SELECT (sum(pg_total_relation_size(c.oid)) + pg_total_relation_size('raw_event_ids'))::text AS b
           FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'raw_events'::regclass`,
        )
      ).rows[0]!.b,
    );
    rss.push(sinks.map((s) => peakRssMb(s.child.pid!)).join('+'));
    if (process.env.BENCH_SHOW_OUTPUT) console.log(sink.output().slice(-20000));
    await Promise.all(sinks.map((s) => s.stop()));

    await p.db.pool.query(
      'DROP TABLE IF EXISTS raw_events_baseline; CREATE TABLE raw_events_baseline (LIKE raw_events INCLUDING DEFAULTS, PRIMARY KEY (event_id))',
    );
    const cols = RAW_COLUMNS.split(', ');
    results['baseline: INSERT batches of 100']!.push(
      await metered('baseline: INSERT batches of 100', self, () =>
        consumeAll(p.topics.kafka, topic, async (values) => {
          const evs: DashboardEvent[] = [];
          for (const v of values) {
            const d = decode({ value: v } as never);
            evs.push((d instanceof Promise ? await d : d).event);
          }
          for (let i = 0; i < evs.length; i += 100) {
            const part = evs.slice(i, i + 100);
            const params: unknown[] = [];
            const tuples = part.map((e) => {
              const base = params.length;
              params.push(
                e.event_id,
                e.event_type,
                e.user_id.toString(),
                e.star_id.toString(),
                'asset_id' in e.properties ? e.properties.asset_id.toString() : null,
                new Date(Number(e.occurred_at)).toISOString(),
                JSON.stringify(e.properties, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)),
                0,
                '0',
              );
              return `(${cols.map((_, j) => `$${base + j + 1}`).join(',')})`;
            });
            await p.db.pool.query(
              `INSERT INTO raw_events_baseline (${RAW_COLUMNS}) VALUES ${tuples.join(',')} ON CONFLICT DO NOTHING`,
              params,
            );
          }
        }),
      ),
    );
  }
  const machineUs = (name: string) => (median((cpu[name] ?? []).map((c) => c.machine!)) * 1e6) / N;
  const twoLimits = machineUs('limit A: consume + decode + validate') + machineUs('limit B: COPY from memory');
  const withKey = machineUs('limit A: consume + decode + validate') + machineUs('limit B + de-duplication key');
  const limit = Math.min(median(results['limit A: consume + decode + validate']!), median(results['limit B: COPY from memory']!));
  const sinkRate = median(results['raw sink (process)']!);
  const baseline = median(results['baseline: INSERT batches of 100']!);
  report(
    'Raw sink throughput',
    `BENCH_EVENTS=${N} BENCH_RUNS=${RUNS}${SINKS === 1 ? '' : ` BENCH_SINK_PROCESSES=${SINKS}`} npm run bench:raw-sink`,
    Object.entries(results).map(([name, xs]) => ({
      case: name,
      'events/s (median)': Math.round(median(xs)),
      runs: xs.map((x) => Math.round(x)).join(' / '),
      'vs min(limit A decode, limit B)': `${((median(xs) / limit) * 100).toFixed(0)}%`,
      ...cpuColumns(cpu[name] ?? []),
    })),
    [
      `${N} events, 12 partitions, mix: ${typeMix(events)}.`,
      `raw sink = ${((sinkRate / limit) * 100).toFixed(0)}% of min(limit A with decoding, limit B); ${(sinkRate / baseline).toFixed(1)}× the INSERT-100 baseline.`,
      `CPU columns: CPU time per event (median over runs, µs) of the consuming node process, all Postgres processes, the Kafka broker and the whole machine (/proc). ` +
        `The machine has ${os.cpus().length} cores = ${os.cpus().length * 1e6} CPU-µs per second, so a case costing c machine-µs/event cannot exceed ${os.cpus().length}e6/c events/s. ` +
        `Doing limit A's and limit B's work together costs ${twoLimits.toFixed(1)} machine-µs/event: ceiling ${Math.round((os.cpus().length * 1e6) / twoLimits)} events/s on this machine.`,
      `With the de-duplication key the sink cannot do without, limit A + (limit B + key) cost ${withKey.toFixed(1)} machine-µs/event: ceiling ${Math.round((os.cpus().length * 1e6) / withKey)} events/s, ` +
        `of which the raw sink reached ${(((sinkRate * withKey) / (os.cpus().length * 1e6)) * 100).toFixed(0)}%.`,
      `Postgres work (median over runs): ${Object.entries(activity)
        .map(([name, xs]) => {
          const m = (k: keyof PgActivity) => median(xs.map((x) => x[k]));
          return `${name}: ${Math.round(N / Math.max(1, m('commits')))} rows per transaction, ${(m('walBytes') / N).toFixed(0)} WAL bytes per event (${m('walFpi')} full-page images, ${m('checkpoints')} checkpoints)`;
        })
        .join('; ')}.`,
      `raw sink peak RSS: ${rss.join(' / ')} MB. ${runtime}`,
      `Size: ${recordBytes.toFixed(0)} bytes per Kafka record value (Avro, mean of the first 10,000); ${(storedBytes / N).toFixed(0)} bytes per stored event in Postgres (raw_events partitions with TOAST and indexes, plus raw_event_ids).`,
      'limit A and the baseline consume with kafkajs eachBatch, 3 partitions at a time; the raw sink uses its defaults (RAW_SINK_CONCURRENCY=3, BATCH_MAX=5000, 256 KiB per partition fetch, NODE_HEAP_MB=160).',
    ],
  );
  await admin.disconnect();
  await p.stop();
  // The figure the target is stated in (issue 15), last so that a script can take it.
  // And restated with the de-duplication key the job needs (issue 26): the target is ratio_key.
  const ceiling = (os.cpus().length * 1e6) / twoLimits;
  const ceilingKey = (os.cpus().length * 1e6) / withKey;
  console.log(
    `RESULT raw_sink_eps=${Math.round(sinkRate)} ceiling_eps=${Math.round(ceiling)} ratio=${(sinkRate / ceiling).toFixed(3)} ceiling_key_eps=${Math.round(ceilingKey)} ratio_key=${(sinkRate / ceilingKey).toFixed(3)}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
