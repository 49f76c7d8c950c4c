import { consumerProcessConfig, int, parseEnv, type ConsumerProcessConfig } from '@fan/config';

export interface InvalidatorConfig extends ConsumerProcessConfig {
  /** Generations outlive every answer cached under them (see bump.ts). */
  genTtlSeconds: number;
  /** Chunks invalidated at once (INVALIDATOR_APPLY_IN_FLIGHT); what partitions hand in meanwhile is gathered. */
  applyInFlight: number;
}

/** The only place the cache invalidator reads process.env. */
export function loadConfig(env: Record<string, string | undefined> = process.env): InvalidatorConfig {
  const base = consumerProcessConfig(
    'cache-invalidator',
    {
      batchMax: 1000,
      batchWaitMs: 50, // as the aggregators: bounded cycles per second at a trickle
      concurrency: 12,
      fetchMinBytes: 65_536,
      fetchMaxBytesPerPartition: 1024 * 1024,
    },
    env,
  );
  const e = parseEnv({ INVALIDATOR_APPLY_IN_FLIGHT: int(2, 1) }, env);
  return { ...base, genTtlSeconds: 2 * base.common.cache.ttlSeconds + 60, applyInFlight: e.INVALIDATOR_APPLY_IN_FLIGHT };
}
