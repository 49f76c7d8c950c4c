import { consumerProcessConfig, type ConsumerProcessConfig } from '@fan/config';

export interface InvalidatorConfig extends ConsumerProcessConfig {
  /** Generations outlive every answer cached under them (see bump.ts). */
  genTtlSeconds: number;
}

/** The only place the cache invalidator reads process.env. */
export function loadConfig(env: Record<string, string | undefined> = process.env): InvalidatorConfig {
  const base = consumerProcessConfig(
    'cache-invalidator',
    {
      batchMax: 1000,
      batchWaitMs: 10,
      concurrency: 3,
      fetchMinBytes: 1,
      fetchMaxBytesPerPartition: 1024 * 1024,
    },
    env,
  );
  return { ...base, genTtlSeconds: 2 * base.common.cache.ttlSeconds + 60 };
}
