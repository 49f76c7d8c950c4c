/**
 * HTTP latency against the real service processes:
 *   npm run bench:reads   — the seven reads, cached (Redis) and uncached (Redis unreachable, every
 *                           read from Postgres): closed loop (autocannon) and a steady rate (wrk),
 *                           after the steady load generator's own tail against a fixed-body server
 *   npm run bench:ingest  — POST /v1/events/batch with 100 events: p50, p99, events/s
 * BENCH_RUNS (3), BENCH_SECONDS (10, closed loop and ingest), BENCH_STEADY_SECONDS (30, steady reads),
 * BENCH_CONNECTIONS (10), BENCH_INGEST_RATE (200 req/s), BENCH_READ_RATE (2000 req/s, cached),
 * BENCH_UNCACHED_RATE (500 req/s), BENCH_WRK_CONNECTIONS (40), BENCH_READS_CASES (generator,closed,steady,
 * steady-node,uncached: a subset runs only those). BENCH_AB_MAIN=a/main.js[,b/main.js…]: other query-api bundles
 * (the code before a change) measured in turn with the built one, a fresh process each run, cached at the steady rate:
 * on a shared machine only interleaved runs compare.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import jwt from 'jsonwebtoken';
import { eventKey, eventToJson } from '@fan/events';
import { READS } from '@fan/read-contract';
import { createEncoder, createRegistry, lookupSchemaIds, registerSchemas } from '@fan/event-codec';
import { createTestPipeline, stackEnv, uniqueName, waitFor, type TestPipeline } from '@fan/test-support';
import { median, peakRssMb, report, type Row } from './lib/report';
import { realisticEvents } from './lib/events';
import { profileArgs } from './lib/profile';
import { openLoop, type OpenLoopRequest } from './lib/open-loop';
import { useBuiltServices } from './lib/services';
import { steadyWrk, type SteadyResult } from './lib/wrk';
import { startFixedServer } from './lib/fixed-server';
import { cpuMeter } from './lib/cpu';
import { kafkajsProduceCost } from './lib/produce-cost';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const INGEST_RATE = Number(process.env.BENCH_INGEST_RATE ?? 200);
const READ_RATE = Number(process.env.BENCH_READ_RATE ?? 2000);
const UNCACHED_RATE = Number(process.env.BENCH_UNCACHED_RATE ?? 500);
const STEADY_SECONDS = Number(process.env.BENCH_STEADY_SECONDS ?? 30);
const CASES = new Set((process.env.BENCH_READS_CASES ?? 'generator,closed,steady,steady-node,uncached').split(','));

async function cannon(opts: autocannon.Options) {
  const r = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

async function portOf(s: { output: () => string }, pattern: RegExp): Promise<number> {
  return waitFor(
    'service listening',
    async () => {
      const m = pattern.exec(s.output());
      return m ? Number(m[1]) : undefined;
    },
    60_000,
    50,
  );
}

const SERVED_WITHIN = ['0.001', '0.0025', '0.005'];

/** Requests the service itself answered within each bound (its own histogram), and all of them. */
async function served(base: string, metric: string = 'query_read_seconds'): Promise<{ within: number[]; all: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const within = SERVED_WITHIN.map(() => 0);
  let all = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${metric}_bucket{`)) {
      const i = SERVED_WITHIN.findIndex((le) => line.includes(`le="${le}"`));
      if (i >= 0) within[i]! += Number(line.split(' ').pop());
    } else if (line.startsWith(`${metric}_count`)) all += Number(line.split(' ').pop());
  }
  return { within, all };
}

type Measured = Partial<SteadyResult> & { rps: number; p50: number; p99: number; errors: number };

/** One table row from several runs: medians of each figure, errors summed. */
function row(label: string, runs: Measured[], extra: Record<string, string | number> = {}): Row {
  const med = (k: keyof SteadyResult) => (runs[0]?.[k] === undefined ? '' : median(runs.map((r) => r[k] as number)));
  return {
    case: label,
    'requests/s (median)': Math.round(median(runs.map((r) => r.rps))),
    'p50 ms': median(runs.map((r) => r.p50)),
    'p90 ms': med('p90'),
    'p99 ms': median(runs.map((r) => r.p99)),
    'max ms': med('max'),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    'late sends %': med('latePct'),
    'wrk p99 from send ms': med('fromSendP99'),
    ...extra,
  };
}

async function reads(p: TestPipeline, rows: Row[]) {
  // Data: a realistic backlog aggregated; the busiest owner's dashboard is read.
  const events = realisticEvents(50_000, 3);
  for (let i = 0; i < events.length; i += 5000) await p.publisher.publish(events.slice(i, i + 5000));
  ['income-aggregator', 'asset-aggregator'].forEach((n) => p.start(n, { LOG_LEVEL: 'warn' }));
  await waitFor(
    'aggregated',
    async () => (await p.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM agg_applied_events')).rows[0]!.n >= events.length,
    600_000,
    200,
  );
  const top = (
    await p.db.pool.query<{ star: string; user: string }>(
      'SELECT star_id::text AS star, user_id::text AS user FROM agg_assets GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1',
    )
  ).rows[0]!;
  const token = jwt.sign({ sub: top.user }, 'bench-secret', { algorithm: 'HS256' });
  const requests = READS.map((r) => ({ method: 'GET' as const, path: `/api/v1/dashboard/${r}?star_id=${top.star}` }));
  const paths = requests.map((r) => r.path);
  const headers = { authorization: `Bearer ${token}` };

  if (CASES.has('generator')) {
    // The load generators' own tail first, at the same rate, against a server with nothing to do.
    const fixed = await startFixedServer();
    await steadyWrk(fixed.url, headers, paths, READ_RATE, 2);
    for (const [label, measure] of [
      [
        `generator only (fixed-body node server): wrk, steady ${READ_RATE} req/s`,
        () => steadyWrk(fixed.url, headers, paths, READ_RATE, STEADY_SECONDS),
      ],
      [
        `generator only (fixed-body node server): bench/lib/open-loop.ts, steady ${READ_RATE} req/s`,
        () => openLoop(fixed.url, headers, requests, READ_RATE, STEADY_SECONDS),
      ],
    ] as const) {
      const runs: Measured[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await measure());
      rows.push(row(label, runs, { 'peak RSS MB': peakRssMb(fixed.pid) }));
    }
    await fixed.stop();
  }

  if (process.env.BENCH_AB_MAIN) return abSteady(p, headers, requests, rows, process.env.BENCH_AB_MAIN);

  for (const [label, redis] of [
    ['cached', p.env.REDIS_URL!],
    ['uncached (Redis unreachable)', 'redis://127.0.0.1:1'],
  ] as const) {
    const cached = redis === p.env.REDIS_URL;
    if (!cached && !CASES.has('uncached')) continue;
    const q = p.start(
      'query-api',
      { QUERY_PORT: '0', JWT_SECRET: 'bench-secret', REDIS_URL: redis, LOG_LEVEL: 'info', CACHE_PREFIX: uniqueName('bench') },
      profileArgs(),
    );
    const port = await portOf(q, /"port":(\d+),"clock"/);
    const opts = { url: `http://127.0.0.1:${port}`, headers, requests };
    await cannon({ ...opts, duration: 2 }); // warm-up: every answer cached, code paths optimised
    const rate = cached ? READ_RATE : UNCACHED_RATE;
    const modes: Array<[string, () => Promise<Measured>]> = [];
    if (CASES.has('closed') || !cached) modes.push([`${CONNECTIONS} connections, closed loop`, () => cannon(opts)]);
    if (CASES.has('steady') || !cached)
      modes.push([`steady ${rate} req/s, wrk, ${STEADY_SECONDS} s`, () => steadyWrk(opts.url, headers, paths, rate, STEADY_SECONDS)]);
    if (CASES.has('steady-node') && cached)
      modes.push([
        `steady ${rate} req/s, bench/lib/open-loop.ts, ${STEADY_SECONDS} s`,
        () => openLoop(opts.url, headers, requests, rate, STEADY_SECONDS),
      ]);
    for (const [mode, measure] of modes) {
      const runs: Measured[] = [];
      // The service's own view (request in → answer written) beside the client's, to tell where a tail comes from.
      const before = await served(opts.url, 'query_read_seconds');
      for (let i = 0; i < RUNS; i++) runs.push(await measure());
      const after = await served(opts.url, 'query_read_seconds');
      const n = Math.max(1, after.all - before.all);
      const share = (i: number) => `${((100 * (after.within[i]! - before.within[i]!)) / n).toFixed(2)}%`;
      rows.push(
        row(`7 reads, ${label}, ${mode}`, runs, {
          'peak RSS MB': peakRssMb(q.child.pid!),
          'service ≤ 1 / 2.5 / 5 ms': `${share(0)} / ${share(1)} / ${share(2)}`,
        }),
      );
    }
    if (process.env.BENCH_SHOW_OUTPUT) console.log(q.output().slice(-20000));
    await q.stop();
  }
}

/**
 * Cached reads at the steady rate, the bundles in `other` (comma-separated) and the built one in turn
 * (A B … A B …), each run on a fresh process after its warm-up. Every bundle runs from a private copy
 * (node is given it before startService's own entry, so it runs that one), never over dist/, which
 * other processes may be running or rebuilding; NODE_PATH finds node_modules from there.
 */
async function abSteady(p: TestPipeline, headers: Record<string, string>, requests: OpenLoopRequest[], rows: Row[], other: string) {
  const dir = mkdtempSync(join(tmpdir(), 'ab-'));
  const variants: Array<[string, string]> = [...other.split(','), join(__dirname, '../services/query-api/dist/main.js')].map((f, i) => {
    const copy = join(dir, `${i}.js`);
    copyFileSync(f, copy);
    if (existsSync(`${f}.map`)) copyFileSync(`${f}.map`, `${copy}.map`);
    const label = i < other.split(',').length ? `${String.fromCharCode(65 + i)} (${f.split('/').slice(-2).join('/')})` : 'working tree';
    return [label, copy];
  });
  const runs = new Map<string, Measured[]>(variants.map(([v]) => [v, []]));
  const servedPct = new Map<string, string[]>(variants.map(([v]) => [v, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [variant, bundle] of variants) {
      const q = p.start(
        'query-api',
        {
          QUERY_PORT: '0',
          JWT_SECRET: 'bench-secret',
          LOG_LEVEL: 'info',
          CACHE_PREFIX: uniqueName('bench'),
          NODE_PATH: join(__dirname, '../node_modules'),
        },
        [...profileArgs(), '--enable-source-maps', bundle],
      );
      const port = await portOf(q, /"port":(\d+),"clock"/);
      const url = `http://127.0.0.1:${port}`;
      await cannon({ url, headers, requests, duration: 2 });
      const before = await served(url);
      runs.get(variant)!.push(
        await steadyWrk(
          url,
          headers,
          requests.map((r) => r.path),
          READ_RATE,
          STEADY_SECONDS,
        ),
      );
      const after = await served(url);
      const n = Math.max(1, after.all - before.all);
      servedPct.get(variant)!.push(((100 * (after.within[2]! - before.within[2]!)) / n).toFixed(2));
      await q.stop();
    }
  }
  rmSync(dir, { recursive: true, force: true });
  for (const [variant] of variants)
    rows.push(
      row(`7 reads, cached, steady ${READ_RATE} req/s, wrk, ${STEADY_SECONDS} s: ${variant}`, runs.get(variant)!, {
        'service ≤ 5 ms, each run': servedPct
          .get(variant)!
          .map((x) => `${x}%`)
          .join(' / '),
      }),
    );
}

async function ingest(p: TestPipeline, rows: Row[]) {
  const s = p.start('ingest', { INGEST_PORT: '0', INGEST_TOKEN: 'bench-token', LOG_LEVEL: 'info' }, profileArgs());
  const port = await portOf(s, /"port":(\d+),"topic"/);
  const body = JSON.stringify({ events: realisticEvents(100, 5).map((e) => ({ ...eventToJson(e), occurred_at: Number(e.occurred_at) })) });
  const opts = {
    url: `http://127.0.0.1:${port}/v1/events/batch`,
    method: 'POST' as const,
    headers: { authorization: 'Bearer bench-token', 'content-type': 'application/json' },
    body,
  };
  await cannon({ ...opts, duration: 2 });
  // Closed loop (as fast as it answers) shows the ceiling; there latency is connections ÷ throughput
  // by Little's law. Open loop at a fixed rate below it shows the latency a client actually sees.
  const cases: Array<[string, () => Promise<Measured>]> = [
    [`${CONNECTIONS} connections, closed loop`, () => cannon(opts)],
    ['1 connection, closed loop', () => cannon({ ...opts, connections: 1 })],
    [
      `steady ${INGEST_RATE} req/s (${INGEST_RATE * 100} events/s), open loop`,
      () => openLoop(`http://127.0.0.1:${port}`, opts.headers, [{ method: 'POST', path: '/v1/events/batch', body }], INGEST_RATE, SECONDS),
    ],
  ];
  // The yardstick: kafkajs alone producing the same 100 events, pre-encoded, from as many callers.
  // Each ingest run at that many connections is followed at once by one of these, and the ratio is
  // taken per pair: this machine's speed drifts by 1.5-3x over minutes, more than the effect measured.
  const url = stackEnv().SCHEMA_REGISTRY_URL;
  const encode = createEncoder(createRegistry(url), await lookupSchemaIds(url));
  const messages = await Promise.all(realisticEvents(100, 5).map(async (e) => ({ key: eventKey(e), value: await encode(e) })));
  const costs: Array<{ recordsPerSecond: number; cpuUsPerRecord: number }> = [];
  ratios = [];
  for (const [label, measure] of cases) {
    const runs = [];
    const cpuUs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // The ingest process's own CPU per accepted event (/proc), to set beside the Kafka client's.
      const meter = cpuMeter({ ingest: () => [s.child.pid!] });
      const r = await measure();
      runs.push(r);
      cpuUs.push((meter.stop().ingest! * 1e6) / Math.max(1, r.rps * SECONDS * 100));
      if (label.endsWith('closed loop') && label.startsWith(String(CONNECTIONS))) {
        const c = await kafkajsProduceCost(p.topics.kafka, p.topics.topics.events, messages, SECONDS, CONNECTIONS);
        costs.push(c);
        ratios.push(cpuUs[cpuUs.length - 1]! / c.cpuUsPerRecord);
      }
    }
    rows.push({
      case: `POST /v1/events/batch, 100 events, ${label}`,
      'requests/s (median)': Math.round(median(runs.map((r) => r.rps))),
      'events/s': Math.round(median(runs.map((r) => r.rps)) * 100),
      'p50 ms': median(runs.map((r) => r.p50)),
      'p99 ms': median(runs.map((r) => r.p99)),
      errors: runs.reduce((a, r) => a + r.errors, 0),
      'CPU µs/event': median(cpuUs).toFixed(1),
      'peak RSS MB': peakRssMb(s.child.pid!),
    });
  }
  await s.stop();

  rows.push({
    case: `kafkajs alone: ${CONNECTIONS} callers × send() of the same 100 events, pre-encoded`,
    'events/s': Math.round(median(costs.map((c) => c.recordsPerSecond))),
    'CPU µs/event': median(costs.map((c) => c.cpuUsPerRecord)).toFixed(1),
  });
  ingestRatio = median(ratios);
}
let ingestRatio = 0;
let ratios: number[] = [];

async function main() {
  const mode = process.argv[2];
  const runtime = useBuiltServices(mode === 'reads' ? ['query-api', 'income-aggregator', 'asset-aggregator'] : ['ingest']);
  await registerSchemas(stackEnv().SCHEMA_REGISTRY_URL); // as npm start does: services only look ids up
  const p = await createTestPipeline('bench_http', 12);
  const rows: Row[] = [];
  try {
    if (mode === 'reads') await reads(p, rows);
    else await ingest(p, rows);
  } finally {
    await p.stop();
  }
  const isReads = mode === 'reads';
  const nodeArgs = process.env.BENCH_NODE_ARGS ? `BENCH_NODE_ARGS="${process.env.BENCH_NODE_ARGS}" ` : '';
  report(
    isReads ? 'Reads' : 'Ingest',
    nodeArgs +
      (isReads
        ? `BENCH_RUNS=${RUNS} BENCH_SECONDS=${SECONDS} BENCH_STEADY_SECONDS=${STEADY_SECONDS} BENCH_CONNECTIONS=${CONNECTIONS}` +
          `${process.env.BENCH_READS_CASES ? ` BENCH_READS_CASES=${process.env.BENCH_READS_CASES}` : ''}` +
          `${process.env.BENCH_AB_MAIN ? ` BENCH_AB_MAIN=${process.env.BENCH_AB_MAIN}` : ''} npm run bench:reads`
        : `BENCH_RUNS=${RUNS} BENCH_SECONDS=${SECONDS} BENCH_CONNECTIONS=${CONNECTIONS} npm run bench:ingest`),
    rows,
    [
      `Closed loop: autocannon, ${CONNECTIONS} connections (each sends its next request when the last answered; latency ≈ connections ÷ throughput), ${SECONDS} s per run. ` +
        (isReads
          ? `Steady: wrk (Debian's package) driven by bench/lib/steady.lua, ${process.env.BENCH_WRK_CONNECTIONS ?? 40} connections each with its own thread and a fixed schedule, ` +
            'every latency from the scheduled instant when the send was late (wrk2-style; "late sends" is their share, "wrk p99 from send" what wrk alone would report); ' +
            'bench/lib/open-loop.ts is the earlier in-process node generator. "generator only" rows: the same generator and rate against a node server answering a fixed 1 KiB body from memory. '
          : 'Open loop: bench/lib/open-loop.ts sends on a fixed schedule and measures each latency from its scheduled time. ') +
        `${RUNS} runs; medians of the per-run figures. The load generator, the service, Redis, Postgres and Kafka share the same 2 cores. ${runtime}`,
      ...(isReads
        ? []
        : [
            `CPU µs/event: the ingest process's CPU time (/proc) over the accepted events. At ${CONNECTIONS} connections the ingest spends ${ingestRatio.toFixed(2)}× ` +
              `what kafkajs alone spends per produced record (the target is ≤ 1.5×): the median of ${ratios.length} ratios, each of an ingest run and the kafkajs run right after it ` +
              `(${ratios.map((r) => r.toFixed(2)).join(', ')}); the rest is HTTP, JSON, validation and Avro encoding.`,
          ]),
    ],
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
