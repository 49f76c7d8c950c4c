import { consumerProcessConfig, int, parseEnv, type ConsumerProcessConfig } from '@fan/config';

export interface RawSinkConfig extends ConsumerProcessConfig {
  pgPoolSize: number;
  partitionDaysAhead: number;
  retentionDays: number;
  maintenanceIntervalMs: number;
}

/** The only place the raw sink reads process.env. */
export function loadConfig(env: Record<string, string | undefined> = process.env): RawSinkConfig {
  const base = consumerProcessConfig(
    'raw-sink',
    {
      batchMax: 5000,
      batchWaitMs: 200,
      concurrency: 3,
      fetchMinBytes: 65_536,
      // 256 KiB: the same rate as 512 KiB with ~15 % less node CPU per event and ~40 MB less resident
      // (fewer kafkajs message objects alive across a fetch; docs/BENCHMARKS.md, 2026-11-25).
      fetchMaxBytesPerPartition: 262_144,
    },
    env,
  );
  const e = parseEnv(
    { RAW_PARTITION_DAYS_AHEAD: int(7, 0), RAW_RETENTION_DAYS: int(30, 1), RAW_MAINTENANCE_INTERVAL_MS: int(3_600_000, 1000) },
    env,
  );
  return {
    ...base,
    pgPoolSize: base.consumer.concurrency + 1,
    partitionDaysAhead: e.RAW_PARTITION_DAYS_AHEAD,
    retentionDays: e.RAW_RETENTION_DAYS,
    maintenanceIntervalMs: e.RAW_MAINTENANCE_INTERVAL_MS,
  };
}
