import { consumerProcessConfig, ownSettings, type ConsumerProcessConfig } from '@fan/config';
import { generationTtlSeconds } from '@fan/read-contract';

export interface InvalidatorConfig extends ConsumerProcessConfig {
  /** Generations outlive every answer cached under them (see bump.ts). */
  genTtlSeconds: number;
  /** Chunks invalidated at once (INVALIDATOR_APPLY_IN_FLIGHT); what partitions hand in meanwhile is gathered. */
  applyInFlight: number;
  /** One connection per chunk in flight and one for /healthz. */
  pgPoolSize: number;
}

/** The only place the cache invalidator reads process.env. */
export function loadConfig(env: Record<string, string | undefined> = process.env): InvalidatorConfig {
  const base = consumerProcessConfig('cache-invalidator', env);
  const e = ownSettings('cache-invalidator', env);
  return {
    ...base,
    genTtlSeconds: generationTtlSeconds(base.common.cache.ttlSeconds),
    applyInFlight: e.INVALIDATOR_APPLY_IN_FLIGHT,
    pgPoolSize: e.INVALIDATOR_APPLY_IN_FLIGHT + 1,
  };
}
