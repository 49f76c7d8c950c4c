import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Partitioners } from 'kafkajs';
import { consumersOf, processEntry, PROCESSES } from '@fan/config';
import {
  createTcpProxy,
  createTestPipeline,
  stackEnv,
  waitFor,
  type ServiceProcess,
  type TcpProxy,
  type TestDatabaseServer,
  type TestPipeline,
} from '@fan/test-support';
import { type DashboardEvent } from '@fan/events';
import { createEncoder, createRegistry, lookupSchemaIds } from '@fan/event-codec';
import { startOracleReads, TZ } from './oracle-reads';
import { compareAll, type Diff } from './compare';
import { generateLoad, publishSteadily, type Load, type RunningLoad } from './load';

export { TZ } from './oracle-reads';
/** The consumers behind the dashboard reads the oracle compares: every group on the events and changes topics (the manifest's). */
export type Consumer = Extract<(typeof PROCESSES)[number], { group: { topic: 'events' | 'changes' } }>['name'];
const DASHBOARD_GROUPS = consumersOf().filter((g) => g.group.topic === 'events' || g.group.topic === 'changes');
const CONSUMERS = DASHBOARD_GROUPS.map((g) => g.name as Consumer);
const ASSET_TYPES = new Set(Object.keys(processEntry('asset-aggregator').announces));

export interface FaultContext {
  p: TestPipeline;
  load: RunningLoad;
  services: Record<Consumer, ServiceProcess>;
  pgProxy: TcpProxy;
  redisProxy: TcpProxy;
  /** Starts a consumer again (or another instance of it) with the pipeline's settings. */
  start(name: Consumer, extra?: Record<string, string>): ServiceProcess;
  /** Reads one answer from the query API (through the Redis proxy). */
  read(read: string, user: string, star: string): Promise<{ status: number; data: unknown }>;
  /** Marks the moment the fault ended; recovery is measured from here. */
  restored(): void;
  poisonSent: number;
  sendPoison(count: number): Promise<void>;
  /**
   * Records any Avro producer can write (valid framing, real schema ids) that the contract refuses:
   * NUL in a name, an instant beyond what a date holds, amounts of 2^62 (twice, one day), an
   * instant before 2000. Keyed like real users, so they share partitions with the load.
   */
  sendInvalid(): Promise<void>;
}

export interface ScenarioResult {
  scenario: string;
  published: number;
  duplicatesPublished: number;
  poison: number;
  stored: number;
  applied: number;
  deadLettered: number;
  duplicatesSuppressed: number;
  /** (group, partition) pairs whose committed offset is short of the end once settled. */
  blockedPartitions: number;
  recoverMs: number;
  compared: number;
  diff: number;
  diffs: Diff[];
}

/**
 * One fault scenario on a private pipeline: consumers as real processes, steady known load with
 * duplicates, the fault injected once ~30% of the load is out, then settle and compare every read
 * of every (star, user) with the oracle.
 */
export async function runScenario(
  name: string,
  fault: (ctx: FaultContext) => Promise<void>,
  opts: { events?: number; rate?: number; database?: TestDatabaseServer } = {},
): Promise<ScenarioResult> {
  const now = Date.now();
  const load: Load = generateLoad(name.length * 7919, opts.events ?? 4000, now);
  const p = await createTestPipeline('fault', 3, { database: opts.database });
  // A database of the scenario's own servers is reached directly (their faults are real); the
  // proxy stands in front of the machine's shared Postgres otherwise.
  const url = new URL(opts.database ? stackEnv().PG_ADMIN_URL : p.env.DATABASE_URL!);
  const pgProxy = await createTcpProxy(url.hostname, Number(url.port || 5432));
  const r = new URL(p.env.REDIS_URL!);
  const redisProxy = await createTcpProxy(r.hostname, Number(r.port || 6379));
  const proxied = {
    DATABASE_URL: opts.database
      ? p.env.DATABASE_URL!
      : (() => {
          const u = new URL(url);
          u.port = String(pgProxy.port);
          return u.toString();
        })(),
    REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`,
  };
  const start = (n: Consumer, extra: Record<string, string> = {}) =>
    p.start(n, { ...proxied, INCOME_AGG_BATCH_MAX: '200', ASSET_AGG_BATCH_MAX: '200', RAW_SINK_BATCH_MAX: '500', ...extra });
  const services = Object.fromEntries(CONSUMERS.map((c) => [c, start(c)])) as Record<Consumer, ServiceProcess>;
  // Faults hit a running pipeline, not one still starting.
  for (const [n, s] of Object.entries(services)) await waitFor(`${n} started`, async () => / started"/.test(s.output()), 60_000, 100);

  const { read, close: closeReads } = await startOracleReads(p.db.pool, proxied.REDIS_URL, p.cachePrefix, now);

  const poisonProducer = p.topics.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  try {
    const running = publishSteadily(p.publisher, load, opts.rate ?? 400);
    // Readers during the load fill the cache, so that a missed invalidation would show as a stale answer.
    let reading = true;
    const pairs = [...new Set(load.events.map((e) => `${e.star_id}|${e.user_id}`))].map((k) => k.split('|') as [string, string]);
    const readers = (async () => {
      for (let i = 0; reading; i++) {
        const [star, user] = pairs[i % pairs.length]!;
        await read(['today-overview', 'income-curve', 'top-assets', 'upgrade-progress'][i % 4]!, user, star).catch(() => undefined);
        await new Promise((res) => setTimeout(res, 20));
      }
    })();

    // Recovery: from the end of the fault until everything published by then is stored and applied.
    let recovery: Promise<number> | undefined;
    const watchRecovery = () => {
      const since = Date.now();
      const published = load.events.slice(0, running.sent());
      const ids = (pred: (t: string) => boolean) => new Set(published.filter((e) => pred(e.event_type)).map((e) => e.event_id)).size;
      const want = { raw: ids(() => true), income: ids((t) => t === 'crystal.change'), asset: ids((t) => ASSET_TYPES.has(t)) };
      recovery = waitFor(
        'recovery',
        async () => {
          const c = await counts();
          return c.raw >= want.raw && c.income >= want.income && c.asset >= want.asset ? Date.now() - since : undefined;
        },
        180_000,
        50,
      );
    };
    const ctx: FaultContext = {
      p,
      load: running,
      services,
      pgProxy,
      redisProxy,
      start,
      read,
      poisonSent: 0,
      restored: watchRecovery,
      sendPoison: async (count) => {
        await poisonProducer.connect();
        const bad = [Buffer.from('not avro at all'), Buffer.from([0, 0x7f, 0xff, 0xff, 0xf1, 2, 4]), Buffer.from([0, 0, 0, 0, 1])];
        await poisonProducer.send({
          topic: p.topics.topics.events,
          acks: -1,
          messages: Array.from({ length: count }, (_, i) => ({ key: `11:${i}`, value: bad[i % bad.length]! })),
        });
        ctx.poisonSent += count;
      },
      sendInvalid: async () => {
        await poisonProducer.connect();
        const url = stackEnv().SCHEMA_REGISTRY_URL;
        const encode = createEncoder(createRegistry(url), await lookupSchemaIds(url));
        const at = BigInt(now) - 3_600_000n;
        const base = (i: number) => {
          const [star, user] = pairs[(ctx.poisonSent + i * 7) % pairs.length]!;
          return { event_id: `invalid-${ctx.poisonSent}-${i}`, star_id: BigInt(star), user_id: BigInt(user), occurred_at: at };
        };
        const invalid = [
          {
            ...base(0),
            event_type: 'asset.mint',
            properties: { asset_id: 77n, level: 'N', asset_name: 'nul\u0000name', asset_thumb: 't' },
          },
          {
            ...base(1),
            event_type: 'crystal.change',
            occurred_at: 8_640_000_000_000_001n,
            properties: { amount: 5n, balance_after: 5n, reason: 'far future' },
          },
          { ...base(2), event_type: 'crystal.change', properties: { amount: 2n ** 62n, balance_after: 2n ** 62n, reason: 'huge' } },
          {
            ...base(2),
            event_id: `invalid-${ctx.poisonSent}-2b`,
            event_type: 'crystal.change',
            properties: { amount: 2n ** 62n, balance_after: 2n ** 63n - 1n, reason: 'huge' },
          },
          { ...base(3), event_type: 'exhibition.end', occurred_at: 1_000n, properties: { asset_id: 77n, slot_id: 1n, duration_ms: 1000n } },
        ] as unknown as DashboardEvent[];
        const messages = await Promise.all(invalid.map(async (e) => ({ key: `${e.star_id}:${e.user_id}`, value: await encode(e) })));
        await poisonProducer.send({ topic: p.topics.topics.events, acks: -1, messages });
        ctx.poisonSent += messages.length;
      },
    };

    await waitFor('30% of the load out', async () => running.sent() >= load.events.length * 0.3, 120_000, 50);
    await fault(ctx);
    if (!recovery) watchRecovery();
    await running.done;
    const assetEvents = new Set(load.events.filter((e) => ASSET_TYPES.has(e.event_type)).map((e) => e.event_id)).size;
    const incomeEvents = new Set(load.events.filter((e) => e.event_type === 'crystal.change').map((e) => e.event_id)).size;
    // Settled includes the cache: every change record the aggregators wrote has been applied.
    async function invalidatorCaughtUp(): Promise<boolean> {
      const topic = p.topics.topics.changes;
      const [ends, group] = await Promise.all([
        p.topics.admin.fetchTopicOffsets(topic),
        p.topics.admin.fetchOffsets({ groupId: p.env.INVALIDATOR_GROUP_ID!, topics: [topic] }),
      ]);
      const committed = new Map(group[0]!.partitions.map((x) => [x.partition, BigInt(x.offset)]));
      return ends.every((e) => BigInt(e.high) === 0n || committed.get(e.partition) === BigInt(e.high));
    }
    async function counts() {
      const q = await p.db.pool.query<{ raw: number; income: number; asset: number }>(
        `SELECT (SELECT count(*) FROM raw_events)::int AS raw,
                (SELECT count(*) FROM agg_applied_events WHERE aggregator = 'income-aggregator')::int AS income,
                (SELECT count(*) FROM agg_applied_events WHERE aggregator = 'asset-aggregator')::int AS asset`,
      );
      return q.rows[0]!;
    }
    let seen = '';
    await waitFor(
      'pipeline settled',
      async () => {
        const c = await counts();
        const invalidated = await invalidatorCaughtUp();
        seen = `raw ${c.raw}/${load.unique}, income ${c.income}/${incomeEvents}, asset ${c.asset}/${assetEvents}, invalidator caught up: ${invalidated}`;
        return c.raw >= load.unique && c.income >= incomeEvents && c.asset >= assetEvents && invalidated;
      },
      90_000,
      200,
    ).catch((err: Error) => {
      throw new Error(`${err.message} (${seen})`);
    });
    const recoverMs = await recovery!;
    reading = false;
    await readers;

    // Invalidation is asynchronous: give the cache the freshness budget (2 s) before comparing.
    let result = await compareAll(load.events, now, TZ, async (rd, u, s) => (await read(rd, u, s)).data);
    for (let i = 0; i < 10 && result.diffs.length > 0; i++) {
      await new Promise((res) => setTimeout(res, 200));
      result = await compareAll(load.events, now, TZ, async (rd, u, s) => (await read(rd, u, s)).data);
    }
    const c = await counts();
    const dlq = await p.topics.admin.fetchTopicOffsets(p.topics.topics.deadLetter);
    // Every group that reads the events topic has committed to its end on every partition.
    const ends = await p.topics.admin.fetchTopicOffsets(p.topics.topics.events);
    let blockedPartitions = 0;
    for (const group of DASHBOARD_GROUPS.filter((g) => g.group.topic === 'events').map((g) => p.env[`${g.envPrefix}_GROUP_ID`]!)) {
      const [committed] = await p.topics.admin.fetchOffsets({ groupId: group, topics: [p.topics.topics.events] });
      const at = new Map(committed!.partitions.map((x) => [x.partition, BigInt(x.offset)]));
      for (const e of ends) if (BigInt(e.high) > 0n && at.get(e.partition) !== BigInt(e.high)) blockedPartitions++;
    }
    const out: ScenarioResult = {
      scenario: name,
      published: load.unique,
      duplicatesPublished: load.duplicates,
      poison: ctx.poisonSent,
      stored: c.raw,
      applied: c.income + c.asset,
      deadLettered: dlq.reduce((s, o) => s + Number(o.high), 0),
      duplicatesSuppressed: load.events.length - c.raw,
      blockedPartitions,
      recoverMs,
      compared: result.compared,
      diff: result.diffs.length,
      diffs: result.diffs.slice(0, 3),
    };
    return out;
  } finally {
    // Keep what the processes said: the first thing anyone debugging a failed scenario needs.
    const dir = join(__dirname, '../../.local/logs/faults');
    mkdirSync(dir, { recursive: true });
    p.services.forEach((s, i) => writeFileSync(join(dir, `${name.replace(/\W+/g, '-')}-${i}.log`), s.output()));
    await poisonProducer.disconnect().catch(() => undefined);
    await closeReads();
    await p.stop();
    await pgProxy.close();
    await redisProxy.close();
  }
}

/** Writes the figures of this run where docs/RELIABILITY.md points to. */
export function writeReport(results: ScenarioResult[], file = 'reliability-last-run.md', title = ''): void {
  const dir = join(__dirname, '../../docs');
  mkdirSync(dir, { recursive: true });
  // The 3.9 proof run (scripts/test-kafka-version.sh) writes beside the default run, not over it.
  const suffix = process.env.FAULT_REPORT_SUFFIX ?? '';
  if (suffix) file = file.replace(/\.md$/, `${suffix}.md`);
  const kafka = process.env.KAFKA_VERSION ? `, Kafka ${process.env.KAFKA_VERSION}` : '';
  const lines = [
    `# Fault suite${title ? ` (${title})` : ''}: last run`,
    '',
    `Written by \`npm run test:faults\` on ${new Date().toISOString()} (node ${process.version}${kafka}).`,
    '',
    '| scenario | published | duplicates published | poison | stored | applied | dead-lettered | duplicates suppressed | blocked partitions | recovery | reads compared | difference |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.scenario} | ${r.published} | ${r.duplicatesPublished} | ${r.poison} | ${r.stored} | ${r.applied} | ${r.deadLettered} | ${r.duplicatesSuppressed} | ${r.blockedPartitions} | ${(r.recoverMs / 1000).toFixed(1)} s | ${r.compared} | ${r.diff} |`,
    ),
    '',
  ];
  writeFileSync(join(dir, file), lines.join('\n'));
}
