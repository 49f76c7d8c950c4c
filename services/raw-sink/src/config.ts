import { consumerProcessConfig, ownSettings, rebuildOwners, type ConsumerProcessConfig } from '@fan/config';

export interface RawSinkConfig extends ConsumerProcessConfig {
  pgPoolSize: number;
  partitionDaysAhead: number;
  retentionDays: number;
  maintenanceIntervalMs: number;
  /** Aggregators that fold an expired partition before it is dropped (the manifest's rebuild owners). */
  folders: string[];
}

/** The only place the raw sink reads process.env: its manifest entry's settings. */
export function loadConfig(env: Record<string, string | undefined> = process.env): RawSinkConfig {
  const base = consumerProcessConfig('raw-sink', env);
  const e = ownSettings('raw-sink', env);
  return {
    ...base,
    pgPoolSize: base.consumer.concurrency + 1,
    partitionDaysAhead: e.RAW_PARTITION_DAYS_AHEAD,
    retentionDays: e.RAW_RETENTION_DAYS,
    maintenanceIntervalMs: e.RAW_MAINTENANCE_INTERVAL_MS,
    folders: rebuildOwners(),
  };
}
