import jwt from 'jsonwebtoken';
import Redis from 'ioredis';
import type { Pool } from 'pg';
import { cacheKeys } from '@fan/read-contract';
import { freshMetrics, listen, silentLogger } from '@fan/test-support';
import { createQueryApp } from '../../services/query-api/src/app';
import { createAnswerCache } from '../../services/query-api/src/cache';

const JWT_SECRET = 'fault-secret';
export const TZ = 'Asia/Shanghai';

/**
 * The query API in-process over real HTTP, through the cache, with its clock pinned at the load's
 * `now`: what the fault suite and the soak compare with the oracle.
 */
export async function startOracleReads(db: Pool, redisUrl: string, cachePrefix: string, now: number) {
  const queryRedis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 250 });
  queryRedis.on('error', () => undefined);
  const app = createQueryApp({
    db,
    cache: createAnswerCache(queryRedis, cacheKeys(cachePrefix), 300, silentLogger()),
    jwtSecret: JWT_SECRET,
    tz: TZ,
    clock: () => now,
    logger: silentLogger(),
    metrics: freshMetrics(),
    health: {},
  });
  const http = await listen(app);
  const tokens = new Map<string, string>();
  const read = async (readName: string, user: string, star: string) => {
    let t = tokens.get(user);
    if (!t) tokens.set(user, (t = jwt.sign({ sub: user }, JWT_SECRET, { algorithm: 'HS256' })));
    const url = `${http.base}/api/v1/dashboard/${readName}?star_id=${star}`;
    const init = { headers: { authorization: `Bearer ${t}` } };
    // A kept-alive socket the in-process server closed as it was reused (ECONNRESET, seen once on
    // this 2-core machine under the suite's load) is the test client's transport, not an answer:
    // asked again once on a new connection. Any answer, right or wrong, is compared as it is.
    const res = await fetch(url, init).catch((err: Error & { cause?: { code?: string } }) => {
      if (err.name !== 'TypeError' || err.cause?.code !== 'ECONNRESET') throw err;
      return fetch(url, init);
    });
    return { status: res.status, data: ((await res.json()) as { data?: unknown }).data };
  };
  return {
    read,
    close: async () => {
      await http.close();
      queryRedis.disconnect();
    },
  };
}
