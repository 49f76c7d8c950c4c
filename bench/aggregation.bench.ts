/**
 * Aggregation: sustained events/s of each aggregator process over a pre-produced backlog, and
 * freshness (published → visible in today-overview through the cache) at steady loads.
 * BENCH_EVENTS (default 200,000), BENCH_RUNS (3), BENCH_RATES (default "1000,5000"), BENCH_PROBES
 * (probes per rate, default 200: p99 of 60 would be their maximum), BENCH_AGG_CASES (default
 * "throughput,freshness").
 */
import { cpus } from 'node:os';
import jwt from 'jsonwebtoken';
import { cacheKeys } from '@fan/read-contract';
import { createTestPipeline, freshMetrics, listen, silentLogger, stackEnv, uniqueName, waitFor } from '@fan/test-support';
import { validateEvent, type DashboardEvent } from '@fan/events';
import { registerSchemas } from '@fan/event-codec';
import { createQueryApp } from '../services/query-api/src/app';
import { createAnswerCache } from '../services/query-api/src/cache';
import { median, peakRssMb, quantile, report, type Row } from './lib/report';
import { cpuMeter, pidsNamed, pidsWithArg } from './lib/cpu';
import { profileArgs } from './lib/profile';
import { useBuiltServices } from './lib/services';
import { realisticEvents } from './lib/events';
import { backgroundLoad } from './lib/background-load';

const N = Number(process.env.BENCH_EVENTS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const RATES = (process.env.BENCH_RATES ?? '1000,5000')
  .split(',')
  .map(Number)
  .filter((r) => r > 0);
const PROBES = Number(process.env.BENCH_PROBES ?? 200);
const cpuNotes: string[] = [];
// BENCH_SPLIT=0 leaves out the "applied" stage: its polling of Postgres every 5 ms is load too.
const SPLIT = process.env.BENCH_SPLIT !== '0';
const CASES = new Set((process.env.BENCH_AGG_CASES ?? 'throughput,freshness').split(','));

async function throughput(rows: Row[]) {
  const p = await createTestPipeline('bench_agg', 12);
  const events = realisticEvents(N, 7);
  for (let i = 0; i < N; i += 5000) await p.publisher.publish(events.slice(i, i + 5000));
  const counts = { 'income-aggregator': new Set(events.filter((e) => e.event_type === 'crystal.change').map((e) => e.event_id)).size };
  const want: Record<string, number> = { ...counts, 'asset-aggregator': N - counts['income-aggregator'] };
  for (const name of ['income-aggregator', 'asset-aggregator']) {
    const rates: number[] = [];
    const rss: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await p.db.pool.query('DELETE FROM agg_applied_events WHERE aggregator = $1', [name]);
      const prefix = name === 'income-aggregator' ? 'INCOME_AGG' : 'ASSET_AGG';
      const s = p.start(name, { [`${prefix}_GROUP_ID`]: uniqueName('bench'), LOG_LEVEL: 'warn' });
      const count = async () =>
        (await p.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM agg_applied_events WHERE aggregator = $1', [name])).rows[0]!
          .n;
      const first = await waitFor('first', async () => ((await count()) > 0 ? Date.now() : undefined), 120_000, 20);
      await waitFor('all applied', async () => (await count()) >= want[name]!, 1_800_000, 100);
      // Every event of the topic passes through the process; its own are applied.
      rates.push((N / (Date.now() - first)) * 1000);
      rss.push(peakRssMb(s.child.pid!));
      await s.stop();
    }
    console.log(name, rates, rss);
    rows.push({
      case: `${name}: backlog of ${N} events`,
      'events/s (median)': Math.round(median(rates)),
      runs: rates.map(Math.round).join(' / '),
      'peak RSS MB': rss.join(' / '),
    });
  }
  await p.stop();
}

async function freshness(rows: Row[], rate: number) {
  const p = await createTestPipeline('bench_fresh', 12);
  // Every consumer of the pipeline runs, as in production (the presence aggregator reads its own topic).
  const procs = ['raw-sink', 'income-aggregator', 'asset-aggregator', 'cache-invalidator', 'presence-aggregator'].map((n) =>
    p.start(n, {}, profileArgs()),
  );
  for (const s of procs) await waitFor('service started', async () => / started"/.test(s.output()), 60_000, 100);
  const app = createQueryApp({
    db: p.db.pool,
    cache: createAnswerCache(p.redis, cacheKeys(p.cachePrefix), 300, silentLogger()),
    jwtSecret: 's',
    tz: 'Asia/Shanghai',
    clock: Date.now,
    logger: silentLogger(),
    metrics: freshMetrics(),
    health: {},
  });
  const http = await listen(app);
  const token = jwt.sign({ sub: '999' }, 's', { algorithm: 'HS256' });
  // The load runs until the last probe.
  const loadStarted = Date.now();
  const load = backgroundLoad(p.publisher, rate, 11);
  await new Promise((r) => setTimeout(r, 3000));
  // Where the machine's time goes at this load: each process of the pipeline, Postgres, the broker,
  // Redis and this process (the load's publisher, the probes and the query API).
  const names = ['raw-sink', 'income-aggregator', 'asset-aggregator', 'cache-invalidator', 'presence-aggregator'];
  const meter = cpuMeter({
    ...Object.fromEntries(procs.map((s, i) => [names[i], () => [s.child.pid!]])),
    postgres: () => pidsNamed('postgres'),
    kafka: () => pidsWithArg('kafka.Kafka'),
    redis: () => pidsNamed('redis-server'),
    'publisher+probes': () => [process.pid],
  });
  const measuredFrom = { at: Date.now(), sent: load.sent() };
  const latencies: number[] = [];
  const stages = { published: [] as number[], applied: [] as number[] };
  let income = 0;
  for (let k = 0; k < PROBES; k++) {
    const v = validateEvent({
      event_id: `probe-${k}`,
      event_type: 'crystal.change',
      user_id: '999',
      star_id: '1',
      occurred_at: Date.now(),
      properties: { amount: 1, balance_after: k, reason: 'probe' },
    });
    if (!v.ok) throw new Error(v.reason);
    const t0 = Date.now();
    await p.publisher.publish([v.event as DashboardEvent]);
    stages.published.push(Date.now() - t0);
    income++;
    // Where the time goes: the aggregator's claim is written in the same transaction as the sum.
    if (SPLIT)
      await waitFor(
        'probe applied',
        async () =>
          (
            await p.db.pool.query(`SELECT 1 FROM agg_applied_events WHERE aggregator = 'income-aggregator' AND event_id = $1`, [
              `probe-${k}`,
            ])
          ).rowCount === 1,
        30_000,
        5,
      );
    if (SPLIT) stages.applied.push(Date.now() - t0);
    await waitFor(
      'probe visible',
      async () => {
        const r = await fetch(`${http.base}/api/v1/dashboard/today-overview?star_id=1`, { headers: { authorization: `Bearer ${token}` } });
        return ((await r.json()) as { data: { today_income: number } }).data.today_income >= income;
      },
      30_000,
      5,
    );
    latencies.push(Date.now() - t0);
    if (k % 50 === 0) console.log(`probe ${k}: ${Date.now() - t0} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const cpu = meter.stop();
  const seconds = (Date.now() - measuredFrom.at) / 1000;
  const events = load.sent() - measuredFrom.sent;
  await load.stop();
  const achieved = Math.round((load.sent() / (Date.now() - loadStarted)) * 1000);
  rows.push({
    case: `freshness at ${rate} events/s (achieved ${achieved})`,
    'published p50/p99 ms': `${quantile(stages.published, 0.5)} / ${quantile(stages.published, 0.99)}`,
    'applied p50/p99 ms': `${quantile(stages.applied, 0.5)} / ${quantile(stages.applied, 0.99)}`,
    'p50 ms': quantile(latencies, 0.5),
    'p99 ms': quantile(latencies, 0.99),
    'max ms': Math.max(...latencies),
    probes: latencies.length,
    'machine busy %': Math.round((cpu.machine! / seconds / cpus().length) * 100),
  });
  console.log(
    `CPU at ${rate}/s, µs per event:`,
    Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, +((v * 1e6) / events).toFixed(1)])),
  );
  cpuNotes.push(
    `CPU at ${rate} events/s, machine-µs per event published: ` +
      Object.entries(cpu)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${((v * 1e6) / events).toFixed(1)}`)
        .join(', '),
  );
  await http.close();
  await p.stop();
}

async function main() {
  const runtime = useBuiltServices(['raw-sink', 'income-aggregator', 'asset-aggregator', 'cache-invalidator', 'presence-aggregator']);
  await registerSchemas(stackEnv().SCHEMA_REGISTRY_URL); // as npm start does: services only look ids up
  const rows: Row[] = [];
  if (CASES.has('throughput')) await throughput(rows);
  if (CASES.has('freshness')) for (const rate of RATES) await freshness(rows, rate);
  const settings = Object.entries(process.env)
    .filter(([k]) => /^(INCOME_AGG|ASSET_AGG|INVALIDATOR|RAW_SINK|PRESENCE_AGG)_/.test(k))
    .map(([k, v]) => `${k}=${v} `)
    .join('');
  const command = `${settings}BENCH_EVENTS=${N} BENCH_RUNS=${RUNS} BENCH_RATES=${RATES.join(',')} BENCH_PROBES=${PROBES} BENCH_AGG_CASES=${[...CASES].join(',')} npm run bench:aggregation`;
  report('Aggregation', command, rows, [
    'Throughput: one process per aggregator over a 12-partition backlog with all seven types (each process reads every event and applies its own); events/s counts every event it went through.',
    'Freshness: probe crystal.change events published one at a time on top of the steady load; the time until today-overview (read through the Redis cache) shows each.',
    ...cpuNotes,
    runtime,
  ]);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
