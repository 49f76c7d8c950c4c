import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import Redis from 'ioredis';
import { cacheKeys, READS } from '@fan/read-contract';
import { createTestDatabase, freshMetrics, listen, silentLogger, stackEnv, uniqueName, type TestDatabase } from '@fan/test-support';
import { createQueryApp } from '../src/app';
import { createAnswerCache } from '../src/cache';
import { JWT_SECRET } from './harness';

describe('query API under hostile input (property-based, real Postgres and Redis)', () => {
  let db: TestDatabase;
  let redis: Redis;
  let base: string;
  let close: () => Promise<void>;
  const prefix = uniqueName('fuzz');

  beforeAll(async () => {
    db = await createTestDatabase('qfuzz');
    redis = new Redis(stackEnv().REDIS_URL);
    const app = createQueryApp({
      db: db.pool,
      cache: createAnswerCache(redis, cacheKeys(prefix), 60, silentLogger()),
      jwtSecret: JWT_SECRET,
      tz: 'Asia/Shanghai',
      clock: Date.now,
      logger: silentLogger(),
      metrics: freshMetrics(),
      health: {},
    });
    ({ base, close } = await listen(app));
  });
  afterAll(async () => {
    await close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.drop();
  });

  const starIds = fc.oneof(
    fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String),
    fc.constantFrom(
      '',
      '0',
      '-1',
      '1.5',
      '1e3',
      ' 1',
      '01',
      '9223372036854775807',
      '9223372036854775808',
      "1' OR '1'='1",
      '1;DROP TABLE agg_assets',
      '１２',
      '%00',
      '7&star_id=8',
    ),
    fc.fullUnicodeString({ maxLength: 30 }),
  );
  const tokens = fc.oneof(
    fc
      .bigInt({ min: -(2n ** 64n), max: 2n ** 64n })
      .map((sub) => `Bearer ${jwt.sign({ sub: sub.toString() }, JWT_SECRET, { algorithm: 'HS256' })}`),
    fc.constantFrom('', 'Bearer', 'Bearer ', 'bearer x', 'Basic abc'),
    fc.constant(`Bearer ${jwt.sign({ sub: '5' }, JWT_SECRET, { algorithm: 'HS256', expiresIn: -1 })}`),
    fc.constant(`Bearer ${jwt.sign({ sub: '5' }, 'another-secret', { algorithm: 'HS256' })}`),
    fc.constant(`Bearer ${jwt.sign({ sub: 5 }, JWT_SECRET, { algorithm: 'HS256' })}`),
    fc.constant(`Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"5"}').toString('base64url')}.`),
    fc.string({ maxLength: 100 }).map((s) => `Bearer ${s}`),
  );

  it('answers 200, 400 or 401 with a message, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...READS), starIds, tokens, async (read, star, auth) => {
        const res = await fetch(`${base}/api/v1/dashboard/${read}?star_id=${encodeURIComponent(star)}`, {
          headers: auth ? { authorization: auth } : {},
        });
        const body = (await res.json()) as { code: number; message?: string; data?: unknown };
        expect([200, 400, 401]).toContain(res.status);
        expect(body.code).toBe(res.status);
        if (res.status !== 200) expect(body.message).toMatch(/token|star_id|sub/);
      }),
      { numRuns: 300 },
    );
  });
});
