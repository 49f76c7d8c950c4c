import { announcedReads, consumerProcessConfig, ownSettings, processEntry, type ConsumerProcessConfig } from '@fan/config';
import type { EventType } from '@fan/events';

/** The consumers whose entry declares an apply in flight and claims retention: the aggregators. */
export type AggregatorName = 'income-aggregator' | 'asset-aggregator';

export interface AggregatorConfig extends ConsumerProcessConfig {
  /**
   * Transactions under way at once (`<PREFIX>_APPLY_IN_FLIGHT`): the chunks that the partitions hand in
   * meanwhile are gathered into the next one (at most 4 × BATCH_MAX records).
   */
  applyInFlight: number;
  pgPoolSize: number;
  /** Claims older than this are pruned (APPLIED_RETENTION_DAYS). */
  appliedRetentionDays: number;
}

/**
 * Settings of one aggregator process from its manifest entry, read from `<PREFIX>_*` variables
 * (e.g. INCOME_AGG_GROUP_ID), so that each consumer group is configured and scaled on its own.
 */
export function aggregatorConfig(name: AggregatorName, env: Record<string, string | undefined> = process.env): AggregatorConfig {
  const base = consumerProcessConfig(name, env);
  const e = ownSettings(name, env) as Record<string, number>;
  const inFlight = e[`${processEntry(name).envPrefix}_APPLY_IN_FLIGHT`]!;
  // One connection more than the transactions: pruning and /healthz never wait for a chunk.
  return { ...base, applyInFlight: inFlight, pgPoolSize: inFlight + 1, appliedRetentionDays: e.APPLIED_RETENTION_DAYS! };
}

/**
 * What an aggregator's manifest entry says about it, in the shape its rule takes: its name (the
 * de-duplication namespace), the event types it applies and the reads each one changes, and the
 * tables it owns (what a rebuild empties and refills).
 */
export function aggregatorIdentity(name: AggregatorName) {
  const entry = processEntry(name);
  return {
    rule: { name: entry.name, types: new Set(Object.keys(entry.announces) as EventType[]), announces: announcedReads(entry) },
    tables: entry.owns.tables as readonly string[],
  };
}
