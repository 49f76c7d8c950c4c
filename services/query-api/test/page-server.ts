import Redis from 'ioredis';
import { cacheKeys } from '@fan/read-contract';
import { freshMetrics, listen, silentLogger, stackEnv, type TestPipeline } from '@fan/test-support';
import { createQueryApp, type QueryAppParts } from '../src/app';
import { createAnswerCache } from '../src/cache';
import { followChangeFeed } from '../src/change-feed';
import { createChangeHub, type ChangeHub } from '../src/change-hub';
import { dashboardPageDir } from '../src/page-dir';

export interface PageServer {
  base: string;
  changes: ChangeHub;
  metrics: ReturnType<typeof freshMetrics>;
  close(): Promise<void>;
}

/** The query API as main.ts wires it (page, reads, change stream fed by Redis), on a test pipeline. */
export async function startPageServer(
  p: TestPipeline,
  o: {
    jwtSecret: string;
    now: () => number;
    maxStreams?: number;
    keepAliveMs?: number;
    publishHeartbeat?: QueryAppParts['publishHeartbeat'];
  },
): Promise<PageServer> {
  const { REDIS_URL } = stackEnv();
  const keys = cacheKeys(p.cachePrefix);
  const redis = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 250 });
  redis.on('error', () => undefined);
  await new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  const metrics = freshMetrics();
  const changes = createChangeHub({ maxStreams: o.maxStreams ?? 100, keepAliveMs: o.keepAliveMs ?? 15_000, metrics });
  const stopFeed = await followChangeFeed(
    REDIS_URL,
    { connectTimeoutMs: 2_000, commandTimeoutMs: 1_000 },
    keys.changesChannel,
    changes,
    silentLogger(),
  );
  const app = createQueryApp({
    db: p.db.pool,
    cache: createAnswerCache(redis, keys, 300, silentLogger()),
    jwtSecret: o.jwtSecret,
    tz: 'Asia/Shanghai',
    clock: o.now,
    logger: silentLogger(),
    metrics,
    health: {},
    changes,
    pageDir: dashboardPageDir(),
    publishHeartbeat: o.publishHeartbeat,
  });
  const http = await listen(app);
  return {
    base: http.base,
    changes,
    metrics,
    close: async () => {
      changes.close();
      stopFeed();
      await http.close();
      redis.disconnect();
    },
  };
}
