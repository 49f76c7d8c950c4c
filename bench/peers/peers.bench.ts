/**
 * `npm run bench:peers` (issue 26): ours against what users would pick instead, on one backlog, in
 * turn (A B A B …), each run with a fresh group / application id and fresh tables:
 *
 * - income: our income aggregator (PEERS_OUR_PROCESSES, default "1,2": one process, and two in the
 *   group, the 2-core deployment) against the Kafka Streams baseline (kafka-streams/);
 * - raw: our raw sink against Kafka Connect's JDBC sink (kafka-connect/);
 * - freshness: publish → applied at PEERS_RATES (default 5000,10000) events/s for PEERS_FRESH_S
 *   (default 60) s, ours and the Streams baseline, each seen the same way: its change record for the
 *   probe's (star, user) read by a read_committed consumer.
 *
 * Per run: events/s from start to the last record committed (start-up included: that is what
 * draining a backlog costs), machine CPU-µs per event split by process (ours or the JVM), Postgres
 * and the broker, peak RSS; the answers of both compared (they must be equal).
 * PEERS_EVENTS (income backlog, default 300,000), PEERS_RAW_EVENTS (raw backlog, default 30,000),
 * PEERS_RUNS (3), PEERS_CASES (income,raw,freshness).
 */
import { cpus } from 'node:os';
import type { Admin } from 'kafkajs';
import { registerSchemas } from '@fan/event-codec';
import { validateEvent, type DashboardEvent } from '@fan/events';
import { createTestPipeline, stackEnv, uniqueName, waitFor, type ServiceProcess } from '@fan/test-support';
import { cpuMeter, pidsNamed, pidsWithArg } from '../lib/cpu';
import { backgroundLoad } from '../lib/background-load';
import { publishBacklog } from './backlog';
import { median, peakRssMb, quantile, report, type Row } from '../lib/report';
import { useBuiltServices } from '../lib/services';
import { buildIncomeStreams, ourTotals, startIncomeStreams, streamsTotals, totalsDiff } from './income-streams';
import { buildConnectPlugins, connectTableDdl, startConnectOn } from './raw-connect';

const N = Number(process.env.PEERS_EVENTS ?? 300_000);
const RUNS = Number(process.env.PEERS_RUNS ?? 3);
// Connect's JDBC sink stores a few hundred events a second here (docs/BENCHMARKS.md): its backlog is smaller.
const RAW_N = Number(process.env.PEERS_RAW_EVENTS ?? 30_000);
const OURS = (process.env.PEERS_OUR_PROCESSES ?? '1,2').split(',').map(Number);
const RATES = (process.env.PEERS_RATES ?? '5000,10000').split(',').map(Number);
const FRESH_S = Number(process.env.PEERS_FRESH_S ?? 60);
const CASES = new Set((process.env.PEERS_CASES ?? 'income,raw,freshness').split(','));
const TZ = 'Asia/Shanghai';
const notes: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves when `groupId` has committed every record of `topic` (the end may hold a transaction marker). */
async function committedAll(admin: Admin, groupId: string, topic: string, alive: () => void): Promise<void> {
  const ends = await admin.fetchTopicOffsets(topic);
  await waitFor(
    `${groupId} committed ${topic}`,
    async () => {
      alive();
      const [c] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const at = new Map(c!.partitions.map((x) => [x.partition, BigInt(x.offset)]));
      return ends.every((e) => BigInt(e.high) === BigInt(e.low) || (at.get(e.partition) ?? -1n) >= BigInt(e.high)) ? true : undefined;
    },
    1_800_000,
    100,
  );
}

interface Run {
  eps: number;
  /** machine-µs per event, by group (process, postgres, kafka, machine). */
  us: Record<string, number>;
  rssMb: number;
  busyPct: number;
}

const meterFor = (pids: () => number[]) =>
  cpuMeter({ process: pids, postgres: () => pidsNamed('postgres'), kafka: () => pidsWithArg('kafka.Kafka') });

function finish(meter: ReturnType<typeof meterFor>, t0: number, events: number, rss: number): Run {
  const cpu = meter.stop();
  const s = (Date.now() - t0) / 1000;
  const us = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, (v * 1e6) / events]));
  us.all = us.process! + us.postgres! + us.kafka!;
  return { eps: events / s, us, rssMb: rss, busyPct: (cpu.machine! / s / cpus().length) * 100 };
}

const alive = (procs: Array<{ child: { exitCode: number | null }; output: () => string }>) => () => {
  for (const p of procs) if (p.child.exitCode !== null) throw new Error(`a process exited:\n${p.output().slice(-3000)}`);
};

function rowsOf(title: string, runs: Run[]): Row {
  const m = (f: (r: Run) => number) => median(runs.map(f));
  return {
    case: title,
    'events/s (median)': Math.round(m((r) => r.eps)),
    runs: runs.map((r) => Math.round(r.eps)).join(' / '),
    'CPU-µs/event: process': m((r) => r.us.process!).toFixed(1),
    postgres: m((r) => r.us.postgres!).toFixed(1),
    kafka: m((r) => r.us.kafka!).toFixed(1),
    'all three': m((r) => r.us.all!).toFixed(1),
    'events per CPU-s': Math.round(1e6 / m((r) => r.us.all!)),
    'machine µs/event': m((r) => r.us.machine!).toFixed(1),
    'machine busy %': Math.round(m((r) => r.busyPct)),
    'peak RSS MB': runs.map((r) => r.rssMb).join(' / '),
  };
}

async function income(rows: Row[]) {
  const p = await createTestPipeline('peers_income', 12);
  const { events, resent, total } = await publishBacklog(p, N, 21);
  const topic = p.topics.topics.events;
  const ours = new Map<number, Run[]>(OURS.map((n) => [n, []]));
  const theirs: Run[] = [];
  const diffs: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    for (const n of OURS) {
      await p.db.pool.query(
        "TRUNCATE agg_daily_income, agg_weekly_income, agg_balance; DELETE FROM agg_applied_events WHERE aggregator = 'income-aggregator'",
      );
      const group = uniqueName('peers-income');
      const t0 = Date.now();
      const procs: ServiceProcess[] = [];
      const meter = meterFor(() => procs.map((s) => s.child.pid!));
      for (let i = 0; i < n; i++) procs.push(p.start('income-aggregator', { INCOME_AGG_GROUP_ID: group, LOG_LEVEL: 'warn' }));
      await committedAll(p.topics.admin, group, topic, alive(procs));
      const r = finish(meter, t0, total, 0);
      r.rssMb = Math.max(...procs.map((s) => peakRssMb(s.child.pid!)));
      for (const s of procs) await s.stop();
      ours.get(n)!.push(r);
      console.log(`ours ×${n} run ${run}: ${Math.round(r.eps)} events/s, ${r.us.all!.toFixed(1)} CPU-µs/event`);
    }
    const oursTotals = await ourTotals(p.db.pool);
    const appId = uniqueName('peers-streams');
    const changes = `${p.topics.prefix}.peer-changes-${run}`;
    await p.topics.admin.createTopics({ topics: [{ topic: changes, numPartitions: 12, replicationFactor: 1 }], waitForLeaders: true });
    const t0 = Date.now();
    const s = startIncomeStreams({
      KAFKA_BROKERS: stackEnv().KAFKA_BROKERS,
      SCHEMA_REGISTRY_URL: stackEnv().SCHEMA_REGISTRY_URL,
      EVENTS_TOPIC: topic,
      CHANGES_TOPIC: changes,
      APPLICATION_ID: appId,
      BUSINESS_TZ: TZ,
    });
    const meter = meterFor(() => [s.child.pid!]);
    await committedAll(p.topics.admin, appId, topic, alive([s]));
    const r = finish(meter, t0, total, peakRssMb(s.child.pid!));
    await sleep(1500); // its last announcements commit with the next EOS commit (100 ms)
    await s.stop();
    theirs.push(r);
    console.log(`streams run ${run}: ${Math.round(r.eps)} events/s, ${r.us.all!.toFixed(1)} CPU-µs/event`);
    const d = totalsDiff(oursTotals, await streamsTotals(p.topics.kafka, changes, uniqueName('peers-read')));
    diffs.push(
      `run ${run}: ${oursTotals.daily.size} daily, ${oursTotals.weekly.size} weekly, ${oursTotals.balances.size} balances, ${d.length} differences`,
    );
    if (d.length) console.error(d);
  }
  for (const [n, runs] of ours) rows.push(rowsOf(`income: ours, ${n} process${n > 1 ? 'es' : ''}`, runs));
  rows.push(rowsOf('income: Kafka Streams 4.4 (EOS v2, 2 threads)', theirs));
  for (const n of OURS)
    notes.push(
      `income, ours ×${n} / Kafka Streams per pair: events/s ${ours
        .get(n)!
        .map((r, i) => (r.eps / theirs[i]!.eps).toFixed(2))
        .join(', ')}; events per CPU-s ${ours
        .get(n)!
        .map((r, i) => (theirs[i]!.us.all! / r.us.all!).toFixed(2))
        .join(', ')}`,
    );
  notes.push(`income backlog: ${events.length} events (${resent.length} of them sent twice), 12 partitions; totals ${diffs.join('; ')}`);
  await p.stop();
}

async function raw(rows: Row[]) {
  const p = await createTestPipeline('peers_raw', 12);
  const { events, resent, total } = await publishBacklog(p, RAW_N, 22);
  const unique = new Set(events.map((e) => e.event_id)).size;
  const ours: Run[] = [];
  const theirs: Run[] = [];
  const checks: string[] = [];
  const count = async (table: string) =>
    (
      await p.db.pool.query<{ n: number; h: string }>(
        `SELECT count(*)::int AS n, coalesce(sum(hashtext(event_id)), 0)::text AS h FROM ${table}`,
      )
    ).rows[0]!;
  for (let run = 0; run < RUNS; run++) {
    await p.db.pool.query('TRUNCATE raw_events, raw_event_ids');
    const group = uniqueName('peers-raw');
    const t0 = Date.now();
    const procs: ServiceProcess[] = [];
    const meter = meterFor(() => procs.map((s) => s.child.pid!));
    procs.push(p.start('raw-sink', { RAW_SINK_GROUP_ID: group, LOG_LEVEL: 'warn' }));
    await committedAll(p.topics.admin, group, p.topics.topics.events, alive(procs));
    const a = finish(meter, t0, total, peakRssMb(procs[0]!.child.pid!));
    await procs[0]!.stop();
    ours.push(a);
    const oursRows = await count('raw_event_ids');

    const table = `connect_raw_${run}`;
    await p.db.pool.query(connectTableDdl(table));
    const c0 = Date.now();
    const c = startConnectOn(p, table);
    const cMeter = meterFor(() => [c.child.pid!]);
    // Connect commits offsets only every second: done is every unique event in its table.
    await waitFor(
      'Connect stored every event',
      async () => {
        alive([c])();
        return (await p.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n >= unique ? true : undefined;
      },
      1_800_000,
      100,
    );
    const b = finish(cMeter, c0, total, peakRssMb(c.child.pid!));
    await c.stop();
    theirs.push(b);
    const theirRows = await count(table);
    checks.push(
      `run ${run}: ours ${oursRows.n} rows, Connect ${theirRows.n}, ids ${oursRows.h === theirRows.h ? 'the same' : 'DIFFERENT'}`,
    );
    console.log(
      `raw run ${run}: ours ${Math.round(a.eps)}/s ${a.us.all!.toFixed(1)} µs, Connect ${Math.round(b.eps)}/s ${b.us.all!.toFixed(1)} µs`,
    );
    await p.db.pool.query(`DROP TABLE ${table}`);
  }
  rows.push(rowsOf('raw: ours (COPY into day partitions, one process)', ours));
  rows.push(rowsOf('raw: Kafka Connect JDBC sink (Debezium 3.1, upsert, 2 tasks)', theirs));
  notes.push(
    `raw, ours / Connect per pair: events/s ${ours.map((r, i) => (r.eps / theirs[i]!.eps).toFixed(2)).join(', ')}; events per CPU-s ${ours
      .map((r, i) => (theirs[i]!.us.all! / r.us.all!).toFixed(2))
      .join(', ')}`,
  );
  notes.push(`raw backlog: ${events.length} events (${resent.length} sent twice), 12 partitions; ${checks.join('; ')}`);
  await p.stop();
}

async function freshness(rows: Row[], who: 'ours' | 'streams', rate: number) {
  const p = await createTestPipeline('peers_fresh', 12);
  const changes = who === 'ours' ? p.topics.topics.changes : `${p.topics.prefix}.peer-changes`;
  await p.topics.admin.createTopics({ topics: [{ topic: changes, numPartitions: 12, replicationFactor: 1 }], waitForLeaders: true });
  let proc: { child: { pid?: number; exitCode: number | null }; output: () => string; stop: () => Promise<unknown> };
  if (who === 'ours') proc = p.start('income-aggregator', { LOG_LEVEL: 'warn' });
  else
    proc = startIncomeStreams({
      KAFKA_BROKERS: stackEnv().KAFKA_BROKERS,
      SCHEMA_REGISTRY_URL: stackEnv().SCHEMA_REGISTRY_URL,
      EVENTS_TOPIC: p.topics.topics.events,
      CHANGES_TOPIC: changes,
      APPLICATION_ID: uniqueName('peers-fresh'),
      BUSINESS_TZ: TZ,
    });
  // The probe pair's change records, as any reader of the output would see them.
  const seen: Array<() => void> = [];
  const reader = p.topics.kafka.consumer({ groupId: uniqueName('peers-fresh-read'), readUncommitted: false });
  await reader.connect();
  await reader.subscribe({ topic: changes, fromBeginning: true });
  void reader.run({
    eachMessage: async ({ message }) => {
      const v = message.value?.toString() ?? '';
      if (v.includes('"user_id":"999"') && v.includes('"star_id":"1"')) seen.splice(0).forEach((f) => f());
    },
  });
  const load = backgroundLoad(p.publisher, rate, 31);
  await sleep(10_000); // started and warm, the backlog of the warm-up drained
  const latencies: number[] = [];
  const from = { at: Date.now(), sent: load.sent() };
  for (let k = 0; Date.now() - from.at < FRESH_S * 1000; k++) {
    alive([proc])();
    const v = validateEvent({
      event_id: `probe-${k}`,
      event_type: 'crystal.change',
      user_id: '999',
      star_id: '1',
      occurred_at: Date.now(),
      properties: { amount: 1, balance_after: k, reason: 'probe' },
    });
    if (!v.ok) throw new Error(v.reason);
    const visible = new Promise<void>((r) => seen.push(r));
    const t0 = Date.now();
    await p.publisher.publish([v.event as DashboardEvent]);
    await Promise.race([visible, sleep(30_000).then(() => Promise.reject(new Error(`probe ${k} not seen in 30 s`)))]);
    latencies.push(Date.now() - t0);
    await sleep(100);
  }
  const achieved = Math.round(((load.sent() - from.sent) / (Date.now() - from.at)) * 1000);
  await load.stop();
  await reader.disconnect();
  await proc.stop();
  rows.push({
    case: `freshness at ${rate} events/s (achieved ${achieved}): ${who === 'ours' ? 'ours' : 'Kafka Streams'}`,
    'p50 ms': quantile(latencies, 0.5),
    'p99 ms': quantile(latencies, 0.99),
    'max ms': Math.max(...latencies),
    probes: latencies.length,
  });
  console.log(rows[rows.length - 1]);
  await p.stop();
}

async function main() {
  const runtime = useBuiltServices(['income-aggregator', 'raw-sink']);
  await registerSchemas(stackEnv().SCHEMA_REGISTRY_URL);
  buildIncomeStreams();
  buildConnectPlugins();
  const rows: Row[] = [];
  if (CASES.has('income')) await income(rows);
  if (CASES.has('raw')) await raw(rows);
  if (CASES.has('freshness'))
    for (const rate of RATES)
      for (let run = 0; run < 2; run++) for (const who of ['ours', 'streams'] as const) await freshness(rows, who, rate);
  const command = `${['MALLOC_ARENA_MAX', 'NODE_HEAP_MB', 'PEERS_JVM_HEAP'].map((k) => (process.env[k] ? `${k}=${process.env[k]} ` : '')).join('')}PEERS_EVENTS=${N} PEERS_RAW_EVENTS=${RAW_N} PEERS_RUNS=${RUNS} PEERS_OUR_PROCESSES=${OURS.join(',')} PEERS_RATES=${RATES.join(',')} PEERS_FRESH_S=${FRESH_S} PEERS_CASES=${[...CASES].join(',')} npm run bench:peers`;
  report('Peers: Kafka Streams and Kafka Connect beside ours', command, rows, [
    'Each run reads the same backlog from its start with a fresh group / application id and fresh tables; events/s from the process start to its last record committed (start-up and JIT warm-up included). CPU: machine-µs per event of the process(es) under test, all Postgres processes and the broker; "events per CPU-s" is 10^6 / the sum of the three.',
    "Freshness: a probe crystal.change for one (star, user) published on top of the steady load; the time until that pair's change record is read by a read_committed consumer of the output topic (ours: the changes topic the cache invalidator reads; the baseline: its output topic). Each rate twice, ours then the baseline.",
    ...notes,
    runtime,
    `Kafka Streams and Connect run with ${process.env.PEERS_JVM_HEAP ?? '-Xmx256m'}.`,
  ]);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
