import { z } from 'zod';
import type { EventType } from '@fan/events';
import type { ReadName } from '@fan/read-contract';
import type { StackPart } from './common-settings';
import { bool, int, parseEnv, str } from './parse-env';
import type { Topics } from './topics';

/**
 * The manifest of the pipeline's processes: who each one is, where it listens, what it reads and
 * owns, and its own settings. `npm start`, the test harness, the fault suite, the rebuild, the lag
 * exporter, the README's settings table and the deployment checks all read this list; adding a
 * consumer group is its folder under services/, one entry here and one file in deploy/k8s.
 * Pure data: nothing here touches I/O.
 */

/** How a consumer group reads by default (each is a `<PREFIX>_*` setting, see groupShape). */
export interface ReadDefaults {
  batchMax: number;
  batchWaitMs: number;
  concurrency: number;
  fetchMinBytes: number;
  fetchMaxBytesPerPartition: number;
}

export interface GroupEntry {
  /** Default group id (`<PREFIX>_GROUP_ID`). */
  id: string;
  topic: keyof Topics;
  /** Where a new group starts; also where the lag exporter counts from when nothing is committed. */
  fromBeginning: boolean;
  reads: ReadDefaults;
}

export interface ProcessEntry {
  /** The folder under services/, the process's name in logs and metrics and its Deployment's name. */
  name: string;
  /**
   * consumer: one consumer group, scaled by replicas; http: serves clients; exporter: one instance
   * watching the others; demo: sample traffic; job: runs to completion (npm run …).
   */
  kind: 'consumer' | 'http' | 'exporter' | 'demo' | 'job';
  summary: string;
  /** Prefix of its own settings (`<PREFIX>_GROUP_ID`, `<PREFIX>_HEALTH_PORT`, …). */
  envPrefix?: string;
  /** Where it serves /healthz and /metrics (and, for http, its API). */
  port?: { variable: string; default: number };
  group?: GroupEntry;
  /** The parts of the stack it talks to: it reads their settings. */
  uses: readonly StackPart[];
  /** Tables it alone writes; `rebuild` is the script that recomputes them from raw_events. */
  owns?: { tables: readonly string[]; rebuild?: string };
  /** An aggregator: the event types it applies and the reads each one changes (what it announces). */
  announces?: Partial<Record<EventType, readonly ReadName[]>>;
  /** Its own settings beyond the common ones and its group's. */
  settings: z.ZodRawShape;
  /** How it is run from the repository when it is a job (`npm run <script>`). */
  script?: string;
}

const progress = {
  PROGRESS_INTERVAL_MS: int(10_000, 50).describe(
    'a progress line this often when stderr is not a terminal (on one, the line is rewritten 4 times a second)',
  ),
};
const inFlight = <P extends string>(prefix: P) =>
  ({
    [`${prefix}_APPLY_IN_FLIGHT`]: int(2, 1).describe(
      'gathered transactions under way at once (Postgres connections: this + 1); what partitions hand in meanwhile joins the next',
    ),
  }) as Record<`${P}_APPLY_IN_FLIGHT`, ReturnType<typeof int>>;
const aggregatorReads: ReadDefaults = {
  batchMax: 2000,
  // A fetch waits up to 50 ms for 64 KiB: at a trickle, ~20 cycles a second instead of one per
  // record's arrival, each costing the same transaction, send and commit (docs/BENCHMARKS.md).
  batchWaitMs: 50,
  concurrency: 12,
  fetchMinBytes: 65_536,
  fetchMaxBytesPerPartition: 4 * 1024 * 1024,
};
const appliedRetention = {
  APPLIED_RETENTION_DAYS: int(35, 8).describe(
    'exactly-once claims older than this are pruned hourly (longer than Kafka and dead-letter retention)',
  ),
};

export const PROCESSES = [
  {
    name: 'raw-sink',
    kind: 'consumer',
    summary: 'every event into its day partition of raw_events with COPY, de-duplicated on event_id',
    envPrefix: 'RAW_SINK',
    port: { variable: 'RAW_SINK_HEALTH_PORT', default: 9101 },
    group: {
      id: 'raw-sink',
      topic: 'events',
      fromBeginning: true,
      reads: {
        batchMax: 5000,
        batchWaitMs: 200,
        concurrency: 3,
        fetchMinBytes: 65_536,
        // 256 KiB: the same rate as 512 KiB with ~15 % less node CPU per event and ~40 MB less resident
        // (fewer kafkajs message objects alive across a fetch; docs/BENCHMARKS.md, 2026-11-25).
        fetchMaxBytesPerPartition: 262_144,
      },
    },
    uses: ['kafka', 'registry', 'postgres'],
    owns: { tables: ['raw_events', 'raw_event_ids'] },
    settings: {
      RAW_PARTITION_DAYS_AHEAD: int(7, 0).describe('day partitions created ahead'),
      RAW_RETENTION_DAYS: int(30, 1).describe(
        'day partitions older than this expire: folded into history by the aggregators, then dropped',
      ),
      RAW_MAINTENANCE_INTERVAL_MS: int(3_600_000, 1000).describe('how often partitions are created and dropped'),
    },
  },
  {
    name: 'income-aggregator',
    kind: 'consumer',
    summary: 'crystal.change → daily and weekly income per (star, user) and the latest balance, exactly once',
    envPrefix: 'INCOME_AGG',
    port: { variable: 'INCOME_AGG_HEALTH_PORT', default: 9102 },
    group: { id: 'income-aggregator', topic: 'events', fromBeginning: true, reads: aggregatorReads },
    uses: ['kafka', 'registry', 'postgres'],
    owns: {
      tables: ['agg_daily_income', 'agg_weekly_income', 'agg_balance'],
      rebuild: 'services/income-aggregator/src/rebuild.ts',
    },
    announces: { 'crystal.change': ['today-overview', 'income-curve'] },
    settings: { ...inFlight('INCOME_AGG'), ...appliedRetention },
  },
  {
    name: 'asset-aggregator',
    kind: 'consumer',
    summary: 'mints, likes, exhibitions, revenue and level-ups → per-asset state, 7-day windows and level progress, exactly once',
    envPrefix: 'ASSET_AGG',
    port: { variable: 'ASSET_AGG_HEALTH_PORT', default: 9103 },
    group: { id: 'asset-aggregator', topic: 'events', fromBeginning: true, reads: aggregatorReads },
    uses: ['kafka', 'registry', 'postgres'],
    owns: {
      tables: ['agg_assets', 'agg_asset_daily', 'agg_asset_activity', 'agg_level_ups'],
      rebuild: 'services/asset-aggregator/src/rebuild.ts',
    },
    announces: {
      'asset.like': ['like-income-by-level', 'top-assets', 'upgrade-progress'],
      'asset.mint': ['exhibition-summary', 'like-income-by-level', 'top-assets', 'level-distribution', 'upgrade-progress'],
      'exhibition.start': ['exhibition-summary'],
      'exhibition.end': ['exhibition-summary', 'upgrade-progress'],
      'exhibition.revenue': ['exhibition-summary', 'top-assets'],
      'asset.level_up': ['like-income-by-level', 'level-distribution', 'upgrade-progress'],
    },
    settings: { ...inFlight('ASSET_AGG'), ...appliedRetention },
  },
  {
    name: 'presence-aggregator',
    kind: 'consumer',
    summary: 'app activity → sessions, presence and daily active identities',
    envPrefix: 'PRESENCE_AGG',
    port: { variable: 'PRESENCE_AGG_HEALTH_PORT', default: 9105 },
    group: {
      id: 'presence-aggregator',
      topic: 'activity',
      fromBeginning: true,
      reads: { batchMax: 5000, batchWaitMs: 50, concurrency: 3, fetchMinBytes: 65_536, fetchMaxBytesPerPartition: 4 * 1024 * 1024 },
    },
    uses: ['kafka', 'registry', 'postgres', 'redis'],
    owns: {
      tables: [
        'presence_activity',
        'presence_daily_active',
        'presence_daily_geo',
        'presence_daily_counts',
        'presence_daily_geo_counts',
        'presence_latest',
      ],
    },
    settings: {},
  },
  {
    name: 'cache-invalidator',
    kind: 'consumer',
    summary: 'change records → Redis generations bumped for exactly the reads that changed',
    envPrefix: 'INVALIDATOR',
    port: { variable: 'INVALIDATOR_HEALTH_PORT', default: 9104 },
    group: {
      id: 'cache-invalidator',
      topic: 'changes',
      // A new invalidator has nothing to catch up on: answers cached before it started expire by TTL.
      fromBeginning: false,
      reads: { batchMax: 1000, batchWaitMs: 50, concurrency: 12, fetchMinBytes: 65_536, fetchMaxBytesPerPartition: 1024 * 1024 },
    },
    uses: ['kafka', 'postgres', 'redis'],
    settings: inFlight('INVALIDATOR'),
  },
  {
    name: 'dlq-counter',
    kind: 'consumer',
    summary: 'dead letters counted by origin topic and reason (pipeline_dead_letters_total), whoever wrote them',
    envPrefix: 'DLQ_COUNTER',
    port: { variable: 'DLQ_COUNTER_HEALTH_PORT', default: 9107 },
    group: {
      id: 'dlq-counter',
      topic: 'deadLetter',
      // A counter of what arrives: Prometheus's rate() needs no history.
      fromBeginning: false,
      reads: { batchMax: 1000, batchWaitMs: 200, concurrency: 3, fetchMinBytes: 1, fetchMaxBytesPerPartition: 1024 * 1024 },
    },
    uses: ['kafka'],
    settings: {},
  },
  {
    name: 'lag-exporter',
    kind: 'exporter',
    summary: "every consumer group's lag, read from the broker's side",
    envPrefix: 'LAG_EXPORTER',
    port: { variable: 'LAG_EXPORTER_PORT', default: 9106 },
    uses: ['kafka'],
    settings: {
      LAG_EXPORTER_PORT: int(9106).describe('`/healthz`, `/metrics` (`pipeline_group_lag{group,topic,partition}`)'),
      LAG_EXPORTER_POLL_MS: int(5_000, 500).describe(
        "how often committed and end offsets are read; the groups and their ids are the consumers' own settings (`<PREFIX>_GROUP_ID`)",
      ),
    },
  },
  {
    name: 'query-api',
    kind: 'http',
    summary: 'the seven dashboard reads, the app-wide reads, the change stream, heartbeats and the page',
    envPrefix: 'QUERY',
    port: { variable: 'QUERY_PORT', default: 8080 },
    uses: ['kafka', 'registry', 'postgres', 'redis'],
    settings: {
      QUERY_PORT: int(8080).describe('query API port (also the page at `/`)'),
      QUERY_PG_POOL: int(10, 1).describe('Postgres connections'),
      JWT_MAX_AGE_SECONDS: int(86_400, 60).describe(
        'life of a token that has an `iat` but no `exp` (a token with `exp` lives until its `exp`, whatever its length; one with neither is refused; CONTRACT §3)',
      ),
      QUERY_STREAM_MAX: int(1000, 1).describe('open change streams per instance (then 503)'),
      QUERY_STREAM_MAX_PER_USER: int(8, 1).describe(
        "open change streams of one user on an instance (then 429 with `Retry-After: 10`): one user cannot take the instance's streams",
      ),
      QUERY_TOKEN_CACHE_BYTES: int(8 * 1024 * 1024, 0).describe(
        'bytes the cache of verified tokens may hold (tokens over 4 KiB are verified every time, never kept; expired entries dropped every minute)',
      ),
      QUERY_HEARTBEAT_MIN_INTERVAL_SECONDS: int(10, 1).describe(
        'one presence heartbeat per (user, install) in this interval, at most 4 installs per user (then 429)',
      ),
      QUERY_STREAM_KEEPALIVE_MS: int(15_000, 1000).describe('keep-alive interval of change streams'),
      QUERY_PG_STATEMENT_TIMEOUT_MS: int(5_000, 100).describe(
        "the reads' own Postgres bound, shorter than `PG_STATEMENT_TIMEOUT_MS`: a read past it answers 503",
      ),
      QUERY_REDIS_COMMAND_TIMEOUT_MS: int(250, 10).describe(
        "the reads' own Redis bound, shorter than `REDIS_COMMAND_TIMEOUT_MS`: a cache read past it is a miss",
      ),
      CLOCK_NOW: z.string().optional().describe('pins "now" (ISO-8601 with offset), for tests and demos'),
    },
  },
  {
    name: 'ingest',
    kind: 'http',
    summary: 'HTTP JSON/NDJSON → validated Avro events on Kafka, answered once acknowledged',
    envPrefix: 'INGEST',
    port: { variable: 'INGEST_PORT', default: 8090 },
    uses: ['kafka', 'registry'],
    settings: {
      INGEST_PORT: int(8090).describe('HTTP port'),
      INGEST_ACK_TIMEOUT_MS: int(10_000, 100).describe("wait for Kafka's acknowledgement before answering 503"),
    },
  },
  {
    name: 'demo-traffic',
    kind: 'demo',
    summary: "plays the five business services for one star, with a few days' backfill",
    envPrefix: 'DEMO',
    uses: ['kafka', 'registry'],
    settings: {
      DEMO_STAR_ID: str('7').describe('the star of the simulated economy'),
      DEMO_USERS: int(40, 2).describe('its users'),
      DEMO_EVENTS_PER_SEC: int(20, 1).describe('live events per second'),
      DEMO_BACKFILL_DAYS: int(6, 0).describe('days of history published at start'),
    },
  },
  {
    name: 'dlq-replay',
    kind: 'job',
    summary: 'sends dead letters back to the topics they came from once their cause is fixed',
    envPrefix: 'DLQ_REPLAY',
    script: 'dlq:replay',
    uses: ['kafka'],
    settings: {
      DLQ_REPLAY_GROUP_ID: str('dlq-replay').describe('consumer group whose commits remember what was replayed'),
      ...progress,
    },
  },
  {
    name: 'rebuild',
    kind: 'job',
    summary: "recomputes every rebuildable table (the manifest's `owns.rebuild`) from raw_events",
    script: 'rebuild',
    uses: ['postgres', 'redis'],
    settings: progress,
  },
  {
    name: 'publish-ndjson',
    kind: 'job',
    summary: 'publishes an NDJSON file of events through the producer library',
    script: 'publish-ndjson',
    uses: ['kafka', 'registry'],
    settings: progress,
  },
  {
    name: 'register-schemas',
    kind: 'job',
    summary: 'registers the Avro schemas (BACKWARD compatibility), before any service starts',
    script: 'schemas:register',
    uses: ['registry'],
    settings: {
      REGISTER_WAIT_MS: int(60_000, 0).describe('how long a registry that is starting is waited for'),
    },
  },
  {
    name: 'migrate',
    kind: 'job',
    summary: 'creates the database if needed and applies pending migrations',
    script: 'migrate',
    uses: ['postgres'],
    settings: {},
  },
] as const satisfies readonly ProcessEntry[];

export type ProcessName = (typeof PROCESSES)[number]['name'];
export type ProcessOf<N extends ProcessName> = Extract<(typeof PROCESSES)[number], { name: N }>;
export type ConsumerName = Extract<(typeof PROCESSES)[number], { kind: 'consumer' }>['name'];

/** A consumer entry: one consumer group. */
export type ConsumerEntry = ProcessEntry & {
  kind: 'consumer';
  envPrefix: string;
  port: { variable: string; default: number };
  group: GroupEntry;
};

export function processEntry<N extends ProcessName>(name: N): ProcessOf<N> {
  return PROCESSES.find((p) => p.name === name) as ProcessOf<N>;
}

export const isConsumer = (p: ProcessEntry): p is ConsumerEntry => p.kind === 'consumer';

/** Every consumer group of a manifest (the pipeline's by default). */
export function consumersOf(manifest: readonly ProcessEntry[] = PROCESSES): ConsumerEntry[] {
  return manifest.filter(isConsumer);
}

/** The long-running processes `npm start` runs by default, in manifest order (the demo last). */
export function longRunning(manifest: readonly ProcessEntry[] = PROCESSES): ProcessEntry[] {
  const running = manifest.filter((p) => p.kind !== 'job');
  return [...running.filter((p) => p.kind !== 'demo'), ...running.filter((p) => p.kind === 'demo')];
}

/** Event type → the reads that change, from the aggregators' own declarations. */
export function announcedReads(entry: ProcessEntry): ReadonlyMap<string, readonly ReadName[]> {
  return new Map(Object.entries(entry.announces ?? {}) as Array<[string, readonly ReadName[]]>);
}

/** A process's own settings (its entry's `settings`), parsed and typed. */
export function ownSettings<N extends ProcessName>(
  name: N,
  env: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<ProcessOf<N>['settings']>> {
  return parseEnv(processEntry(name).settings, env) as z.infer<z.ZodObject<ProcessOf<N>['settings']>>;
}

/** The processes whose tables a rebuild recomputes: they fold expired raw partitions into history. */
export function rebuildOwners(manifest: readonly ProcessEntry[] = PROCESSES): string[] {
  return manifest.flatMap((p) => (p.owns && 'rebuild' in p.owns && p.owns.rebuild ? [p.name] : []));
}

/** The rebuild scripts, in manifest order. */
export function rebuildScripts(manifest: readonly ProcessEntry[] = PROCESSES): string[] {
  return manifest.flatMap((p) => (p.owns && 'rebuild' in p.owns && p.owns.rebuild ? [p.owns.rebuild] : []));
}

/** The settings every consumer group has, under its prefix, with this group's defaults. */
export function groupShape(g: ConsumerEntry) {
  const v = (name: string) => `${g.envPrefix}_${name}`;
  const r = g.group.reads;
  return {
    [v('GROUP_ID')]: str(g.group.id).describe('consumer group'),
    [v('HEALTH_PORT')]: int(g.port.default).describe('`/healthz` and `/metrics`'),
    [v('FROM_BEGINNING')]: bool(g.group.fromBeginning).describe(
      'where a new group starts: `true` the oldest retained record, `false` the newest',
    ),
    [v('BATCH_MAX')]: int(r.batchMax, 1).describe('records per apply (one COPY or one transaction)'),
    [v('BATCH_WAIT_MS')]: int(r.batchWaitMs, 0).describe(
      'longest a fetch waits for `…_FETCH_MIN_BYTES` (time-based batching: bounds cycles per second under a trickle; a backlog returns at once)',
    ),
    [v('CONCURRENCY')]: int(r.concurrency, 1).describe(
      'partitions handed in at once (the raw sink: one Postgres connection each; the others gather their chunks)',
    ),
    [v('FETCH_MIN_BYTES')]: int(r.fetchMinBytes, 1).describe('bytes a fetch waits for'),
    [v('FETCH_MAX_BYTES_PER_PARTITION')]: int(r.fetchMaxBytesPerPartition, 1024).describe(
      'largest fetch per partition (smaller keeps less in memory)',
    ),
  };
}
