import { consumerProcessConfig, type ConsumerProcessConfig } from '@fan/config';

export interface PresenceConfig extends ConsumerProcessConfig {
  pgPoolSize: number;
}

/** The only place the presence aggregator reads process.env (PRESENCE_AGG_*). */
export function loadConfig(env: Record<string, string | undefined> = process.env): PresenceConfig {
  const base = consumerProcessConfig(
    'presence-aggregator',
    {
      batchMax: 5000,
      batchWaitMs: 50, // as the aggregators: bounded cycles per second at a trickle
      concurrency: 3,
      fetchMinBytes: 65_536,
      fetchMaxBytesPerPartition: 4 * 1024 * 1024,
    },
    env,
  );
  return { ...base, pgPoolSize: base.consumer.concurrency + 1 };
}
