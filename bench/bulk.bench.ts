/**
 * Bulk work at scale (issue 15):
 *   npm run bench:bulk   (BENCH_BULK_EVENTS, default 10,000,000; BENCH_BULK_REBUILD_ROWS, default 1,000,000;
 *                         BENCH_BULK_DLQ_RECORDS, default 200,000)
 * Each tool runs as the operator runs it (its own node process, from sources under tsx, progress on a
 * pipe so in its non-terminal form), on a private database and topics:
 * - publish-ndjson on a file of N realistic events, generated streaming into .local/tmp and deleted after;
 * - rebuild (income, then asset) over raw_events COPY'd straight into the table;
 * - dlq:replay of dead letters produced straight to the private dead-letter topic.
 * For each: events/s over the process's whole life (start-up included), peak resident memory (VmHWM),
 * and the resident memory sampled every 200 ms at 10%, 50% and 90% of the run (flat = constant memory).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Partitioners } from 'kafkajs';
import { from as copyFrom } from 'pg-copy-streams';
import { createEncoder, createRegistry, registerSchemas } from '@fan/event-codec';
import { validateEvent } from '@fan/events';
import { formatBytes } from '@fan/observability';
import { createTestPipeline, stackEnv, uniqueName, type TestPipeline } from '@fan/test-support';
import { report, type Row } from './lib/report';
import { realisticJson } from './lib/events';

const ROOT = join(__dirname, '..');
const EVENTS = Number(process.env.BENCH_BULK_EVENTS ?? 10_000_000);
const REBUILD_ROWS = Number(process.env.BENCH_BULK_REBUILD_ROWS ?? 1_000_000);
const DLQ_RECORDS = Number(process.env.BENCH_BULK_DLQ_RECORDS ?? 200_000);
const SAMPLE_MS = 200;

async function writeNdjson(file: string, n: number): Promise<void> {
  const out = createWriteStream(file);
  let chunk = '';
  for (const e of realisticJson(n, 'bulk')) {
    chunk += `${JSON.stringify(e)}\n`;
    if (chunk.length >= 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

interface Measured {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  peakMb: number;
  /** Resident MB at 10%, 50% and 90% of the run. */
  at: [number, number, number];
  progressLines: number;
}

const statusKb = (pid: number, field: string): number | undefined => {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
};

/** Runs a tool as its own node process (as `npm run <tool>` does, minus npm) and samples its memory. */
async function measure(what: string, script: string, args: string[], env: Record<string, string>): Promise<Measured> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let progressLines = 0;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    const s = d.toString();
    stderr += s;
    for (const line of s.split('\n').filter(Boolean)) {
      if (/\b(published|rebuilt|read) [\d,]+/.test(line)) progressLines++;
      process.stdout.write(`  [${what}] ${line}\n`);
    }
  });
  const samples: Array<{ t: number; kb: number }> = [];
  let peakKb = 0;
  const timer = setInterval(() => {
    const rss = statusKb(child.pid!, 'VmRSS');
    if (rss !== undefined) samples.push({ t: Date.now(), kb: rss });
    peakKb = Math.max(peakKb, statusKb(child.pid!, 'VmHWM') ?? 0);
  }, SAMPLE_MS);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearInterval(timer);
  const ended = Date.now();
  const rssAt = (q: number) => {
    const t = started + q * (ended - started);
    const near = samples.reduce((best, s) => (Math.abs(s.t - t) < Math.abs(best.t - t) ? s : best), samples[0] ?? { t, kb: NaN });
    return Math.round(near.kb / 1024);
  };
  return {
    code,
    stdout,
    stderr,
    seconds: (ended - started) / 1000,
    peakMb: Math.round(peakKb / 1024),
    at: [rssAt(0.1), rssAt(0.5), rssAt(0.9)],
    progressLines,
  };
}

function row(name: string, count: number, m: Measured): Row {
  return {
    case: name,
    events: count,
    's (wall)': m.seconds.toFixed(1),
    'events/s': Math.round(count / m.seconds),
    'peak RSS MB': m.peakMb,
    'RSS at 10% / 50% / 90% MB': m.at.join(' / '),
    'progress lines': m.progressLines,
  };
}

/** Raw rows as the raw sink stores them, straight into raw_events with COPY (text format). */
async function fillRawEvents(p: TestPipeline, n: number): Promise<void> {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
  const client = await p.db.pool.connect();
  try {
    const copy = client.query(
      copyFrom(
        'COPY raw_events (event_id, event_type, user_id, star_id, asset_id, occurred_at, properties, kafka_partition, kafka_offset) FROM STDIN',
      ),
    );
    let chunk = '';
    let i = 0;
    for (const e of realisticJson(n, 'raw', 7)) {
      const props = e.properties as Record<string, unknown>;
      const asset = typeof props.asset_id === 'string' ? props.asset_id : '\\N';
      chunk += `${esc(e.event_id as string)}\t${e.event_type}\t${e.user_id}\t${e.star_id}\t${asset}\t${new Date(e.occurred_at as number).toISOString()}\t${esc(JSON.stringify(props))}\t0\t${i++}\n`;
      if (chunk.length >= 1 << 20) {
        if (!copy.write(chunk)) await once(copy, 'drain');
        chunk = '';
      }
    }
    copy.end(chunk);
    await once(copy, 'finish');
    await client.query('ANALYZE raw_events');
  } finally {
    client.release();
  }
}

/** Dead letters as the consumers write them (origin topic, partition, offset, reason), straight to the topic. */
async function fillDeadLetters(p: TestPipeline, n: number): Promise<void> {
  const url = stackEnv().SCHEMA_REGISTRY_URL;
  const encode = createEncoder(createRegistry(url), await registerSchemas(url));
  const values: Buffer[] = [];
  for (const e of realisticJson(1000, 'dlq', 3)) {
    const v = validateEvent(e);
    if (v.ok) values.push(await encode(v.event));
  }
  const producer = p.topics.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let i = 0; i < n; i += 5000) {
    const messages = Array.from({ length: Math.min(5000, n - i) }, (_, j) => ({
      key: String((i + j) % 997),
      value: values[(i + j) % values.length]!,
      headers: {
        'dlq.reason': 'unknown schema id 7',
        'dlq.origin.topic': p.topics.topics.events,
        'dlq.origin.partition': String((i + j) % 12),
        'dlq.origin.offset': String(i + j),
        'dlq.consumer.group': 'raw',
      },
    }));
    await producer.send({ topic: p.topics.topics.deadLetter, acks: -1, messages });
  }
  await producer.disconnect();
}

const fail = (what: string, m: Measured) => {
  throw new Error(`${what} exited ${m.code}:\n${m.stderr.slice(-2000)}`);
};

async function main() {
  await registerSchemas(stackEnv().SCHEMA_REGISTRY_URL);
  const rows: Row[] = [];
  const notes: string[] = [];
  const dir = join(ROOT, '.local/tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${uniqueName('bulk')}.ndjson`);
  const p = await createTestPipeline('benchbulk', 12);
  const replayGroup = uniqueName('dlq-replay');
  try {
    // 1. publish-ndjson on a file of N events.
    let t = Date.now();
    await writeNdjson(file, EVENTS);
    const size = statSync(file).size;
    console.log(`${EVENTS} events written to ${file} (${formatBytes(size)}) in ${((Date.now() - t) / 1000).toFixed(0)} s`);
    const pub = await measure('publish-ndjson', 'services/ingest/src/publish-ndjson.ts', [file], { ...p.env });
    rmSync(file, { force: true });
    if (pub.code !== 0) fail('publish-ndjson', pub);
    const result = JSON.parse(pub.stdout.trim().split('\n').pop()!) as { accepted: number; rejected: number };
    const offsets = await p.topics.admin.fetchTopicOffsets(p.topics.topics.events);
    const inTopic = offsets.reduce((s, o) => s + BigInt(o.high), 0n);
    if (result.accepted !== EVENTS || result.rejected !== 0 || inTopic !== BigInt(EVENTS))
      throw new Error(`publish-ndjson: ${JSON.stringify(result)}, ${inTopic} records in the topic, expected ${EVENTS}`);
    rows.push(row(`publish-ndjson, file of ${formatBytes(size)}`, EVENTS, pub));
    notes.push(`publish-ndjson: every event acknowledged (accepted ${result.accepted}, ${inTopic} records in the 12-partition topic).`);

    // 2. rebuild over raw events COPY'd into the table.
    t = Date.now();
    await fillRawEvents(p, REBUILD_ROWS);
    const types = (
      await p.db.pool.query<{ event_type: string; n: number }>(
        'SELECT event_type, count(*)::int AS n FROM raw_events GROUP BY 1 ORDER BY 1',
      )
    ).rows;
    console.log(
      `${REBUILD_ROWS} raw events COPY'd in ${((Date.now() - t) / 1000).toFixed(0)} s: ${types.map((r) => `${r.event_type} ${r.n}`).join(', ')}`,
    );
    const rebuildEnv = { ...p.env, DATABASE_URL: p.db.url, CACHE_PREFIX: p.cachePrefix };
    for (const agg of ['income-aggregator', 'asset-aggregator']) {
      const m = await measure(`${agg} rebuild`, `services/${agg}/src/rebuild.ts`, [], rebuildEnv);
      if (m.code !== 0) fail(`${agg} rebuild`, m);
      const applied = (
        await p.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM agg_applied_events WHERE aggregator = $1', [agg])
      ).rows[0]!.n;
      rows.push(row(`rebuild ${agg.replace('-aggregator', '')} over ${REBUILD_ROWS.toLocaleString('en-US')} raw events`, applied, m));
    }

    // 3. dlq:replay of dead letters.
    t = Date.now();
    await fillDeadLetters(p, DLQ_RECORDS);
    console.log(`${DLQ_RECORDS} dead letters produced in ${((Date.now() - t) / 1000).toFixed(0)} s`);
    const replay = await measure('dlq:replay', 'services/dlq-replay/src/main.ts', [], { ...p.env, DLQ_REPLAY_GROUP_ID: replayGroup });
    if (replay.code !== 0) fail('dlq:replay', replay);
    const replayed = (JSON.parse(replay.stdout.trim().split('\n').pop()!) as { replayed: number }).replayed;
    if (replayed !== DLQ_RECORDS) throw new Error(`dlq:replay replayed ${replayed}, expected ${DLQ_RECORDS}`);
    rows.push(row('dlq:replay to the events topic', DLQ_RECORDS, replay));

    notes.push(
      'Each tool is its own node process started as `node --import tsx <script>` (what `npm run` runs, without the npm and tsx wrappers), ' +
        'so the wall time includes start-up (about 2 s of tsx compiling and connecting). Progress went to a pipe: plain lines every 10 s.',
      `RSS sampled every ${SAMPLE_MS} ms; the 10/50/90% columns are the samples nearest those points of the run: flat = memory does not grow with the input.`,
      `rebuild: events = rows claimed into agg_applied_events (the aggregator's types only); raw events generated by the demo economy (libs/simulation) and COPY'd in.`,
      'dlq:replay: dead letters produced straight to the private dead-letter topic (one reason, unique origins, ~150-byte Avro values), replayed to the private events topic.',
    );
    // A trial at a small size (BENCH_BULK_TRIAL=1) prints its table without adding it to BENCHMARKS.md.
    if (process.env.BENCH_BULK_TRIAL) console.table(rows);
    else
      report(
        `Bulk tools: publish-ndjson ${EVENTS.toLocaleString('en-US')}, rebuild ${REBUILD_ROWS.toLocaleString('en-US')}, dlq:replay ${DLQ_RECORDS.toLocaleString('en-US')}`,
        `BENCH_BULK_EVENTS=${EVENTS} BENCH_BULK_REBUILD_ROWS=${REBUILD_ROWS} BENCH_BULK_DLQ_RECORDS=${DLQ_RECORDS} flock /tmp/bench.lock npm run bench:bulk`,
        rows,
        notes,
      );
  } finally {
    rmSync(file, { force: true });
    await p.topics.admin.deleteGroups([replayGroup]).catch(() => undefined);
    await p.stop();
  }
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
