/**
 * HTTP latency with autocannon against the real service processes:
 *   npm run bench:reads   — the seven reads at fixed concurrency, cached (Redis) and uncached (Redis
 *                           unreachable, every read from Postgres): requests/s, p50, p99
 *   npm run bench:ingest  — POST /v1/events/batch with 100 events: p50, p99, events/s
 * BENCH_RUNS (3), BENCH_SECONDS (10), BENCH_CONNECTIONS (10), BENCH_INGEST_RATE (200 req/s),
 * BENCH_READ_RATE (2000 req/s, cached), BENCH_UNCACHED_RATE (500 req/s).
 */
import autocannon from 'autocannon';
import jwt from 'jsonwebtoken';
import { eventToJson } from '@fan/events';
import { READS } from '@fan/read-contract';
import { registerSchemas } from '@fan/event-codec';
import { createTestPipeline, stackEnv, uniqueName, waitFor, type TestPipeline } from '@fan/test-support';
import { median, peakRssMb, report, type Row } from './lib/report';
import { realisticEvents } from './lib/events';
import { profileArgs } from './lib/profile';
import { openLoop } from './lib/open-loop';
import { useBuiltServices } from './lib/services';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const INGEST_RATE = Number(process.env.BENCH_INGEST_RATE ?? 200);
const READ_RATE = Number(process.env.BENCH_READ_RATE ?? 2000);
const UNCACHED_RATE = Number(process.env.BENCH_UNCACHED_RATE ?? 500);

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

/** Requests the service itself answered within `le` seconds (its own histogram), and all of them. */
async function servedWithin(base: string, metric: string, le: string): Promise<{ within: number; all: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  let within = 0;
  let all = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${metric}_bucket{`) && line.includes(`le="${le}"`)) within += Number(line.split(' ').pop());
    else if (line.startsWith(`${metric}_count`)) all += Number(line.split(' ').pop());
  }
  return { within, all };
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
  for (const [label, redis] of [
    ['cached', p.env.REDIS_URL!],
    ['uncached (Redis unreachable)', 'redis://127.0.0.1:1'],
  ] as const) {
    const q = p.start(
      'query-api',
      { QUERY_PORT: '0', JWT_SECRET: 'bench-secret', REDIS_URL: redis, LOG_LEVEL: 'info', CACHE_PREFIX: uniqueName('bench') },
      profileArgs(),
    );
    const port = await portOf(q, /"port":(\d+),"clock"/);
    const opts = { url: `http://127.0.0.1:${port}`, headers: { authorization: `Bearer ${token}` }, requests };
    await cannon({ ...opts, duration: 2 }); // warm-up
    const rate = redis === p.env.REDIS_URL ? READ_RATE : UNCACHED_RATE;
    const steady = () => openLoop(opts.url, opts.headers, requests, rate, SECONDS);
    for (const [mode, measure] of [
      [`${CONNECTIONS} connections, closed loop`, () => cannon(opts)],
      [`steady ${rate} req/s, open loop`, steady],
    ] as const) {
      const runs = [];
      // The service's own view (request in → answer written) beside the client's, to tell where a tail comes from.
      const before = await servedWithin(opts.url, 'query_read_seconds', '0.005');
      for (let i = 0; i < RUNS; i++) runs.push(await measure());
      const after = await servedWithin(opts.url, 'query_read_seconds', '0.005');
      rows.push({
        case: `7 reads, ${label}, ${mode}`,
        'requests/s (median)': Math.round(median(runs.map((r) => r.rps))),
        'p50 ms': median(runs.map((r) => r.p50)),
        'p99 ms': median(runs.map((r) => r.p99)),
        errors: runs.reduce((s, r) => s + r.errors, 0),
        'peak RSS MB': peakRssMb(q.child.pid!),
        'served ≤ 5 ms (service histogram)': `${((100 * (after.within - before.within)) / Math.max(1, after.all - before.all)).toFixed(2)}%`,
      });
    }
    if (process.env.BENCH_SHOW_OUTPUT) console.log(q.output().slice(-20000));
    await q.stop();
  }
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
  const cases: Array<[string, () => ReturnType<typeof openLoop>]> = [
    [`${CONNECTIONS} connections, closed loop`, () => cannon(opts)],
    ['1 connection, closed loop', () => cannon({ ...opts, connections: 1 })],
    [
      `steady ${INGEST_RATE} req/s (${INGEST_RATE * 100} events/s), open loop`,
      () => openLoop(`http://127.0.0.1:${port}`, opts.headers, [{ method: 'POST', path: '/v1/events/batch', body }], INGEST_RATE, SECONDS),
    ],
  ];
  for (const [label, measure] of cases) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measure());
    rows.push({
      case: `POST /v1/events/batch, 100 events, ${label}`,
      'requests/s (median)': Math.round(median(runs.map((r) => r.rps))),
      'events/s': Math.round(median(runs.map((r) => r.rps)) * 100),
      'p50 ms': median(runs.map((r) => r.p50)),
      'p99 ms': median(runs.map((r) => r.p99)),
      errors: runs.reduce((a, r) => a + r.errors, 0),
      'peak RSS MB': peakRssMb(s.child.pid!),
    });
  }
  await s.stop();
}

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
  report(
    mode === 'reads' ? 'Reads' : 'Ingest',
    `BENCH_RUNS=${RUNS} BENCH_SECONDS=${SECONDS} BENCH_CONNECTIONS=${CONNECTIONS} npm run bench:${mode === 'reads' ? 'reads' : 'ingest'}`,
    rows,
    [
      `Closed loop: autocannon, ${CONNECTIONS} connections (each sends its next request when the last answered; latency ≈ connections ÷ throughput). ` +
        `Open loop: bench/lib/open-loop.ts sends on a fixed schedule and measures each latency from its scheduled time. ${SECONDS} s per run, ${RUNS} runs; medians of the per-run figures. ` +
        `The load generator, the service, Redis, Postgres and Kafka share the same 2 cores. ${runtime}`,
    ],
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
