import { createPool, createRedis } from '@fan/db';
import { cacheKeys } from '@fan/read-contract';
import { createLogger, createMetricsRegistry, exitOnFatal, onShutdown } from '@fan/observability';
import { createQueryApp } from './app';
import { createAnswerCache } from './cache';
import { followChangeFeed } from './change-feed';
import { createChangeHub } from './change-hub';
import { loadConfig } from './config';
import { dauFromHll } from './activity/queries';
import { heartbeatPublisher } from './heartbeats';
import { dashboardPageDir } from './page-dir';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('query-api', config.common.logLevel);
  const db = createPool(config.common.databaseUrl, config.pgPoolSize, config.pg, logger);
  // Fail fast and fall back to Postgres rather than queue reads behind a Redis that is down.
  const redis = createRedis(config.common.redisUrl, 'request', config.redis);
  redis.on('error', () => undefined); // reported by the cache as it happens
  const clock = config.clockNow === undefined ? Date.now : () => config.clockNow as number;

  const keys = cacheKeys(config.common.cache.prefix);
  const metrics = createMetricsRegistry('query-api');
  const changes = createChangeHub({
    maxStreams: config.streamMax,
    maxStreamsPerUser: config.streamMaxPerUser,
    keepAliveMs: config.streamKeepAliveMs,
    metrics,
  });
  const stopFeed = await followChangeFeed(config.common.redisUrl, config.redis, keys.changesChannel, changes, logger);
  const heartbeats = heartbeatPublisher(config.common, logger);

  const app = createQueryApp({
    db,
    cache: createAnswerCache(redis, keys, config.common.cache.ttlSeconds, logger),
    jwtSecret: config.jwtSecret,
    jwtMaxAgeSeconds: config.jwtMaxAgeSeconds,
    tokenCacheBytes: config.tokenCacheBytes,
    heartbeatMinIntervalSeconds: config.heartbeatMinIntervalSeconds,
    tz: config.common.businessTz,
    clock,
    logger,
    metrics,
    changes,
    pageDir: dashboardPageDir(),
    publishHeartbeat: heartbeats.publish,
    ...(config.common.presenceDauMode === 'hll' ? { dau: (days: string[]) => dauFromHll(redis, keys, days) } : {}),
    health: {
      postgres: async () => void (await db.query('SELECT 1')),
      redis: async () => void (await redis.ping()),
    },
  });
  const server = app.listen(config.port, () =>
    logger.info(
      {
        port: (server.address() as { port: number }).port,
        clock: config.clockNow === undefined ? 'real' : new Date(config.clockNow).toISOString(),
      },
      'query API listening',
    ),
  );
  onShutdown(logger, async () => {
    changes.close(); // open streams would keep server.close() waiting
    stopFeed();
    await heartbeats.close().catch(() => undefined);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    redis.disconnect();
    await db.end();
  });
}

main().catch(exitOnFatal('query-api'));
