import { consumerProcessConfig, type ConsumerProcessConfig } from '@fan/config';

export interface PresenceConfig extends ConsumerProcessConfig {
  pgPoolSize: number;
}

/** The only place the presence aggregator reads process.env (PRESENCE_AGG_*). */
export function loadConfig(env: Record<string, string | undefined> = process.env): PresenceConfig {
  const base = consumerProcessConfig('presence-aggregator', env);
  return { ...base, pgPoolSize: base.consumer.concurrency + 1 };
}
