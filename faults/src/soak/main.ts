/**
 * `npm run soak`: an hour of faults (issue 25). Every consumer, the lag exporter and the query API
 * run as their own processes on servers of the soak's own (a Postgres, a Redis and a Kafka broker
 * started here, never the machine's), a steady load is published, a page's change stream is open,
 * and every SOAK_FAULT_EVERY_MINUTES one fault in rotation: each process SIGKILLed and restarted,
 * Postgres restarted, Redis restarted empty, the broker restarted. After each fault the time until
 * every group has caught up with what was published by then is recorded; at the end every read of
 * every (star, user) is compared with the oracle, and every process's resident memory (from its
 * /metrics) is plotted with its trend. Writes docs/soak-last-run.md and docs/soak-rss.png.
 *
 * Settings: SOAK_MINUTES (60), SOAK_RATE (events/s, 2000), SOAK_FAULT_EVERY_MINUTES (5; more than
 * SOAK_MINUTES for a run without faults, to watch memory alone), SOAK_NODE_ARGS (extra node flags).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { consumersOf, int, parseEnv, processEntry, str } from '@fan/config';
import {
  ensureChromium,
  freePort,
  startOwnBroker,
  startOwnPostgres,
  startOwnRedis,
  createTestPipeline,
  waitFor,
  type ServiceProcess,
} from '@fan/test-support';
import { compareAll } from '../compare';
import { generateLoad, publishSteadily } from '../load';
import { startOracleReads, TZ } from '../oracle-reads';
import { memoryChart, trends, type Sample } from './memory';

const ROOT = join(__dirname, '../../..');
const JWT_SECRET = 'soak-secret';
const settings = parseEnv(
  {
    SOAK_MINUTES: int(60, 1),
    SOAK_RATE: int(2000, 1),
    SOAK_FAULT_EVERY_MINUTES: int(5, 1),
    // Extra node flags for every service, e.g. `--heapsnapshot-signal=SIGUSR2` to take heap snapshots by hand.
    SOAK_NODE_ARGS: str(''),
  },
  process.env,
);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string, extra: object = {}) =>
  console.error(`[soak ${new Date().toISOString().slice(11, 19)}] ${msg}`, Object.keys(extra).length ? JSON.stringify(extra) : '');

/** The memory limit each process's Deployment asks for (deploy/k8s/base/<name>.yaml), MB. */
function manifestLimits(names: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) {
    try {
      const m = /limits:\s*\{[^}]*memory:\s*(\d+)Mi/.exec(readFileSync(join(ROOT, 'deploy/k8s/base', `${n}.yaml`), 'utf8'));
      if (m) out[n] = Number(m[1]);
    } catch {
      /* no Deployment */
    }
  }
  return out;
}

async function main(): Promise<void> {
  const minutes = settings.SOAK_MINUTES;
  const everyMs = settings.SOAK_FAULT_EVERY_MINUTES * 60_000;
  const work = mkdtempSync(join(tmpdir(), 'soak-'));
  chmodSync(work, 0o755);
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', work]);
  log('starting a Postgres, a Redis and a Kafka broker of its own', { work });
  const pg = await startOwnPostgres(work);
  const redis = await startOwnRedis();
  const brokerDir = join(work, 'kafka');
  execFileSync('mkdir', ['-p', brokerDir]);
  const broker = await startOwnBroker(brokerDir);
  // Ctrl-C (or a timeout's SIGTERM), or a failure, stops the servers this soak started, and nothing else.
  const launched: ServiceProcess[] = [];
  const abandon = (why: string, code = 130) => {
    log(`${why}: stopping the soak's processes and servers`);
    void Promise.all(launched.map((s) => s.stop().catch(() => undefined)))
      .then(() => broker.stop())
      .then(() => redis.stop())
      .finally(() => {
        pg.stop();
        rmSync(work, { recursive: true, force: true });
        process.exit(code);
      });
  };
  onFailure = (err) => {
    console.error('[soak] failed:', err);
    abandon('failed', 1);
  };
  process.once('SIGINT', () => abandon('SIGINT'));
  process.once('SIGTERM', () => abandon('SIGTERM'));
  process.env.KAFKA_BROKERS = broker.brokers;
  process.env.REDIS_URL = redis.url;
  const p = await createTestPipeline('soak', 6, { database: { urlFor: pg.urlFor } });

  const names = [...consumersOf().map((c) => c.name), 'lag-exporter', 'query-api'];
  const ports: Record<string, number> = {};
  for (const n of names) ports[n] = await freePort();
  const env = (n: string) => ({ [processEntry(n as 'raw-sink').port.variable]: String(ports[n]), JWT_SECRET, LOG_LEVEL: 'warn' });
  const services: Record<string, ServiceProcess> = {};
  const launch = (n: string) => {
    const s = p.start(n, env(n), settings.SOAK_NODE_ARGS.split(/\s+/).filter(Boolean));
    launched.push(s);
    return s;
  };
  for (const n of names) services[n] = launch(n);
  await waitFor(
    'query API listening',
    async () =>
      fetch(`http://127.0.0.1:${ports['query-api']}/healthz`)
        .then((r) => r.ok)
        .catch(() => false),
    120_000,
    500,
  );

  const now = Date.now();
  const total = settings.SOAK_RATE * minutes * 60;
  log(`generating ${total} events`);
  const load = generateLoad(4242, total, now);
  const [star, user] = [load.events[0]!.star_id, load.events[0]!.user_id];

  // The page's change stream, reconnecting as the page does (after 2 s) when it ends.
  let streamEvents = 0;
  let streamReconnects = 0;
  let streaming = true;
  const token = jwt.sign({ sub: user }, JWT_SECRET, { algorithm: 'HS256', expiresIn: '1d' });
  const openStream = () => {
    const req = request(`http://127.0.0.1:${ports['query-api']}/api/v1/dashboard/stream?star_id=${star}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    let retried = false; // 'error' and 'end' may both come: one reconnect
    const again = () => {
      if (!streaming || retried) return;
      retried = true;
      streamReconnects++;
      setTimeout(openStream, 2000);
    };
    req.on('response', (res) => {
      res.setEncoding('utf8').on('data', (d: string) => (streamEvents += (d.match(/event: changed/g) ?? []).length));
      res.on('end', again);
    });
    req.on('error', again);
    req.end();
  };
  openStream();

  const samples: Sample[] = [];
  const started = Date.now();
  const minute = () => (Date.now() - started) / 60_000;
  const sampler = setInterval(() => {
    for (const n of names)
      void fetch(`http://127.0.0.1:${ports[n]}/metrics`)
        .then((r) => r.text())
        .then((t) => {
          const mb = (metric: string) => {
            const m = new RegExp(`^${metric}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(t);
            return m ? Number(m[1]) / 1048576 : undefined;
          };
          const rssMb = mb('process_resident_memory_bytes');
          if (rssMb !== undefined)
            samples.push({
              minute: minute(),
              process: n,
              rssMb,
              heapMb: mb('nodejs_heap_size_used_bytes'),
              externalMb: mb('nodejs_external_memory_bytes'),
            });
        })
        .catch(() => undefined);
  }, 15_000);

  const running = publishSteadily(p.publisher, load, settings.SOAK_RATE, started + minutes * 60_000);
  const groups = consumersOf().filter((c) => c.group.topic === 'events' || c.group.topic === 'changes');
  /** Seconds until every group committed what its topic held when the fault ended. */
  const recovery = async (): Promise<number> => {
    const since = Date.now();
    const ends = new Map<string, Awaited<ReturnType<typeof p.topics.admin.fetchTopicOffsets>>>();
    for (const t of [p.topics.topics.events, p.topics.topics.changes])
      ends.set(t, await p.topics.admin.fetchTopicOffsets(t).catch(() => []));
    await waitFor(
      'caught up after the fault',
      async () => {
        for (const g of groups) {
          const topic = g.group.topic === 'events' ? p.topics.topics.events : p.topics.topics.changes;
          const [c] = await p.topics.admin.fetchOffsets({ groupId: p.env[`${g.envPrefix}_GROUP_ID`]!, topics: [topic] });
          const at = new Map(c!.partitions.map((x) => [x.partition, BigInt(x.offset)]));
          for (const e of ends.get(topic)!) if (BigInt(e.high) > 0n && (at.get(e.partition) ?? -1n) < BigInt(e.high)) return false;
        }
        return true;
      },
      600_000,
      500,
    );
    return (Date.now() - since) / 1000;
  };

  const restart = async (n: string) => {
    services[n]!.child.kill('SIGKILL');
    await services[n]!.stop();
    await sleep(1000);
    services[n] = launch(n);
  };
  const kill = (n: string) => ({ label: `SIGKILL ${n}`, run: () => restart(n) });
  const infrastructure = [
    {
      label: 'Postgres restarted',
      run: async () => {
        pg.stop();
        await sleep(3000);
        pg.start();
      },
    },
    { label: 'Redis restarted empty', run: () => redis.restart() },
    {
      label: 'broker restarted',
      run: async () => {
        await broker.stop();
        await sleep(2000);
        await broker.start();
      },
    },
  ];
  // Interleaved, so that a shorter soak still meets every kind: a process, a server, a process, …
  const faults: Array<{ label: string; run: () => Promise<void> }> = names.flatMap((n, i) => [
    kill(n),
    ...(infrastructure[i] ? [infrastructure[i]!] : []),
  ]);
  const done: Array<{ minute: number; label: string; recoverS: number }> = [];
  for (let i = 0; Date.now() - started + everyMs <= minutes * 60_000; i++) {
    await sleep(Math.max(0, started + (i + 1) * everyMs - Date.now()));
    const f = faults[i % faults.length]!;
    const at = minute();
    log(`fault: ${f.label}`);
    await f.run();
    const recoverS = await recovery();
    done.push({ minute: at, label: f.label, recoverS });
    log(`recovered after ${f.label}`, { recoverS, sent: running.sent() });
  }
  await running.done;
  log('load published; settling');
  const groupsCaughtUp = await recovery();
  clearInterval(sampler);
  streaming = false;

  // The chart first: it needs nothing of the comparison, which takes minutes over millions of events.
  const restarts: Record<string, number[]> = {};
  for (const d of done) if (d.label.startsWith('SIGKILL ')) (restarts[d.label.slice(8)] ??= []).push(d.minute);
  const trend = trends(samples, manifestLimits(names), restarts);
  writeFileSync(join(ROOT, 'docs/soak-memory.json'), JSON.stringify({ faults: done, samples }) + '\n');
  const svg = memoryChart(
    samples,
    done,
    `Resident memory over a ${minutes}-minute soak at ${settings.SOAK_RATE} events/s, one fault every ${settings.SOAK_FAULT_EVERY_MINUTES} min`,
  );
  const svgFile = join(work, 'rss.svg');
  writeFileSync(svgFile, svg);
  execFileSync(
    ensureChromium(),
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      `--screenshot=${join(ROOT, 'docs/soak-rss.png')}`,
      '--window-size=1200,700',
      `file://${svgFile}`,
    ],
    {
      stdio: 'ignore',
      timeout: 60_000,
    },
  );

  // What was published by the deadline is what the pipeline holds: the oracle's events.
  const published = load.events.slice(0, running.sent());
  const reads = await startOracleReads(p.db.pool, redis.url, p.cachePrefix, now);
  const result = await compareAll(published, now, TZ, async (read, u, s) => (await reads.read(read, u, s)).data);
  const counts = (await p.db.pool.query<{ raw: number }>('SELECT count(*)::int AS raw FROM raw_events')).rows[0]!;
  await reads.close();

  const md = [
    `# Soak: last run`,
    '',
    `From \`SOAK_MINUTES=${minutes} SOAK_RATE=${settings.SOAK_RATE} SOAK_FAULT_EVERY_MINUTES=${settings.SOAK_FAULT_EVERY_MINUTES} npm run soak\` on ${new Date().toISOString().slice(0, 16)} UTC (2 cores, 24 GiB; Kafka ${process.env.KAFKA_VERSION ?? '4.4.0'}). Written by the soak itself.`,
    '',
    `Published ${published.length} events in ${minutes} minutes (${(published.length / (minutes * 60)).toFixed(0)} events/s of the ${settings.SOAK_RATE} asked; ${new Set(published.map((e) => e.event_id)).size} unique, the rest re-sent duplicates), stored ${counts.raw}; ${result.compared} reads compared, **difference ${result.diffs.length}**; caught up ${groupsCaughtUp.toFixed(1)} s after the last event; the page's stream got ${streamEvents} change events and reconnected ${streamReconnects} times; ${running.failures()} publish attempts failed and were sent again.`,
    '',
    '| minute | fault | caught up after (s) |',
    '|---|---|---|',
    ...done.map((d) => `| ${d.minute.toFixed(1)} | ${d.label} | ${d.recoverS.toFixed(1)} |`),
    '',
    '![resident memory](soak-rss.png)',
    '',
    '| process | samples | first MB | peak MB | last MB | resident slope (MB/h) | V8 heap slope (MB/h) | fitted over (min) | a week of that slope (MB) | Deployment limit (MB) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...trend.map(
      (t) =>
        `| ${t.process} | ${t.samples} | ${t.firstMb.toFixed(0)} | ${t.peakMb.toFixed(0)} | ${t.lastMb.toFixed(0)} | ${t.slopeMbPerHour.toFixed(1)} | ${t.heapSlopeMbPerHour?.toFixed(1) ?? '—'} | ${t.fittedMinutes.toFixed(0)} | ${t.weekMb.toFixed(0)} | ${t.limitMb ?? '—'} |`,
    ),
    '',
    "Slopes are the steepest least-squares fit of any stretch between a process's own restarts (each from 5 minutes after it began, stretches of 10 minutes or more): a restart drops a process back to its base, and a fit across it would hide growth. The V8 heap is what is in use when sampled (live objects and garbage not yet collected): resident growth with a flat heap is the allocator and V8 keeping pages, not objects kept. The samples are in docs/soak-memory.json.",
    '',
  ].join('\n');
  writeFileSync(join(ROOT, 'docs/soak-last-run.md'), md);
  if (result.diffs.length) console.error(JSON.stringify(result.diffs.slice(0, 3), null, 1));
  log('done', { diff: result.diffs.length, report: 'docs/soak-last-run.md' });

  for (const s of Object.values(services)) await s.stop().catch(() => undefined);
  await p.stop();
  await broker.stop();
  await redis.stop();
  pg.stop();
  rmSync(work, { recursive: true, force: true });
  process.exit(result.diffs.length === 0 ? 0 : 1);
}

/** Set once the soak's own servers run: a failure after that must not leave them behind. */
let onFailure: (err: unknown) => void = (err) => {
  console.error('[soak] failed:', err);
  process.exit(1);
};

main().catch((err: unknown) => onFailure(err));
