import { commonConfig, type CommonConfig } from './common';
import { parseEnv } from './parse-env';
import { consumersOf, groupShape, processEntry, type ConsumerEntry, type ConsumerName, type ProcessEntry } from './processes';
import { topicsFor } from './topics';

type Env = Record<string, string | undefined>;

/** How one consumer group reads: what every consumer process passes to the consumer runtime. */
export interface ConsumerSettings {
  groupId: string;
  topic: string;
  deadLetterTopic: string;
  /** Records per apply (one COPY / one transaction). */
  maxChunk: number;
  /** Time-based batching happens at the broker: a fetch waits up to maxWaitMs for minBytes. */
  maxWaitMs: number;
  minBytes: number;
  maxBytesPerPartition: number;
  /** Partitions processed at once (the raw sink: one Postgres connection each; aggregators and invalidator gather them). */
  concurrency: number;
  fromBeginning: boolean;
  /** A member silent this long is presumed dead and its partitions move (KAFKA_SESSION_TIMEOUT_MS). */
  sessionTimeoutMs: number;
  /** A failing partition holds its batch this long at most, then is paused alone (CONSUMER_RETRY_IN_BATCH_MS). */
  retryInBatchMs: number;
  /** A partition failing this long turns /healthz unavailable (CONSUMER_STUCK_AFTER_MS). */
  stuckAfterMs: number;
}

/** What every consumer process is configured with. */
export interface ConsumerProcessConfig {
  common: CommonConfig;
  consumer: ConsumerSettings;
  /** /healthz and /metrics. */
  healthPort: number;
}

/** One group's `<PREFIX>_*` settings, parsed the same way for the consumer and for its watchers. */
function parseGroup(g: ConsumerEntry, env: Env) {
  const e = parseEnv(groupShape(g), env) as Record<string, string | number | boolean>;
  const get = <T>(name: string) => e[`${g.envPrefix}_${name}`] as T;
  return {
    groupId: get<string>('GROUP_ID'),
    fromBeginning: get<boolean>('FROM_BEGINNING'),
    healthPort: get<number>('HEALTH_PORT'),
    maxChunk: get<number>('BATCH_MAX'),
    maxWaitMs: get<number>('BATCH_WAIT_MS'),
    minBytes: get<number>('FETCH_MIN_BYTES'),
    maxBytesPerPartition: get<number>('FETCH_MAX_BYTES_PER_PARTITION'),
    concurrency: get<number>('CONCURRENCY'),
  };
}

/**
 * The settings of one consumer group process from its manifest entry: the common ones, its
 * group's `<PREFIX>_*` (GROUP_ID, HEALTH_PORT, BATCH_MAX, BATCH_WAIT_MS, CONCURRENCY,
 * FROM_BEGINNING, FETCH_MIN_BYTES, FETCH_MAX_BYTES_PER_PARTITION) and its own, so that each group
 * is configured and scaled on its own.
 */
export function consumerProcessConfig(name: ConsumerName, env: Env = process.env): ConsumerProcessConfig {
  const common = commonConfig(env);
  const entry = processEntry(name) as ConsumerEntry;
  const { healthPort, groupId, fromBeginning, ...reads } = parseGroup(entry, env);
  return {
    common,
    healthPort,
    consumer: {
      ...reads,
      groupId,
      fromBeginning,
      topic: common.topics[entry.group.topic],
      deadLetterTopic: common.topics.deadLetter,
      sessionTimeoutMs: common.kafkaSessionTimeoutMs,
      retryInBatchMs: common.consumerRetryInBatchMs,
      stuckAfterMs: common.consumerStuckAfterMs,
    },
  };
}

/** A group as it runs with these settings: its id and start position as its process reads them. */
export interface WatchedGroup {
  service: string;
  groupId: string;
  topic: string;
  fromBeginning: boolean;
}

/** Every consumer group of the manifest with the ids and topics these settings give them (the lag exporter's list). */
export function watchedGroups(topicPrefix: string, env: Env = process.env, manifest?: readonly ProcessEntry[]): WatchedGroup[] {
  const topics = topicsFor(topicPrefix);
  return consumersOf(manifest).map((g) => {
    const { groupId, fromBeginning } = parseGroup(g, env);
    return { service: g.name, topic: topics[g.group.topic], groupId, fromBeginning };
  });
}
