import { createPool, createRedis } from '@fan/db';
import { commonConfig, ownSettings } from '@fan/config';
import { createLogger, startProgress, type ProgressReporter } from '@fan/observability';
import type { AggregateRule } from './apply-step';
import { rebuildFromRaw } from './rebuild';

/**
 * `npm run rebuild`: one aggregator's part. Recomputes its tables from raw_events, then drops every
 * cached answer (they were computed from the old aggregates). See docs/RUNBOOK.md.
 */
export async function rebuildCli(rule: AggregateRule, tables: readonly string[]): Promise<void> {
  const common = commonConfig();
  const { PROGRESS_INTERVAL_MS } = ownSettings('rebuild');
  const logger = createLogger(`${rule.name}-rebuild`, common.logLevel);
  const pool = createPool(common.databaseUrl, 1, { ...common.pg, statementTimeoutMs: 0 }); // a rebuild's statements take as long as the history;
  let progress: ProgressReporter | undefined;
  try {
    const r = await rebuildFromRaw(pool, {
      rule,
      tables,
      ctx: { tz: common.businessTz },
      logger,
      onProgress: ({ read, total }) => {
        progress ??= startProgress({ verb: `${rule.name}: rebuilt`, total, intervalMs: PROGRESS_INTERVAL_MS });
        progress.update(read);
      },
    });
    progress?.finish();
    logger.info(r, 'rebuilt from raw_events');
    const redis = createRedis(common.redisUrl, 'worker', common.redis);
    let cursor = '0';
    let dropped = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${common.cache.prefix}:ans:*`, 'COUNT', 1000);
      if (keys.length) dropped += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
    logger.info({ dropped }, 'cached answers dropped');
  } finally {
    progress?.finish();
    await pool.end();
  }
}
