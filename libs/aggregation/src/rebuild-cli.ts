import Redis from 'ioredis';
import { Pool } from 'pg';
import { commonConfig, parseEnv, str } from '@fan/config';
import type { EventType } from '@fan/events';
import { createLogger } from '@fan/observability';
import type { AggregateStore } from './apply-step';
import { rebuildFromRaw } from './rebuild';

/**
 * `npm run rebuild`: one aggregator's part. Recomputes its tables from raw_events, then drops every
 * cached answer (they were computed from the old aggregates). See docs/RUNBOOK.md.
 */
export async function rebuildCli(name: string, types: ReadonlySet<EventType>, tables: readonly string[], store: (tz: string) => AggregateStore): Promise<void> {
  const common = commonConfig();
  const { CACHE_PREFIX } = parseEnv({ CACHE_PREFIX: str('dash') });
  const logger = createLogger(`${name}-rebuild`, common.logLevel);
  const pool = new Pool({ connectionString: common.databaseUrl, max: 1 });
  try {
    const r = await rebuildFromRaw(pool, { name, types, tables, store: store(common.businessTz), logger });
    logger.info(r, 'rebuilt from raw_events');
    const redis = new Redis(common.redisUrl, { maxRetriesPerRequest: 1 });
    let cursor = '0';
    let dropped = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${CACHE_PREFIX}:ans:*`, 'COUNT', 1000);
      if (keys.length) dropped += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
    logger.info({ dropped }, 'cached answers dropped');
  } finally {
    await pool.end();
  }
}
