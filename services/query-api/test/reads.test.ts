import { createTestPipeline, type TestPipeline } from '@fan/test-support';
import { startQuery, toEvents, token, JWT_SECRET } from './harness';
import * as S from './scenario';

describe('the seven reads, end to end on the real stack', () => {
  let p: TestPipeline;
  let q: Awaited<ReturnType<typeof startQuery>>;

  beforeAll(async () => {
    p = await createTestPipeline('reads');
    p.start('income-aggregator');
    p.start('asset-aggregator');
    p.start('cache-invalidator');
    q = await startQuery(p, S.NOW);
    // One event at a time, in the scenario's order: arrival order is part of what is tested.
    for (const e of toEvents([...S.incomeEvents(), ...S.assetEvents()])) await p.publisher.publish([e]);
  });

  afterAll(async () => {
    await q.close();
    await p.stop();
  });

  describe('today-overview', () => {
    it.each([S.U1, S.U2, S.U3, S.U4])('answers user %s exactly: latest balance, today, week rank with ties', async (user) => {
      expect(await q.settle('today-overview', user, S.STAR, S.EXPECTED.todayOverview[user])).toEqual(S.EXPECTED.todayOverview[user]);
    });
    it('keeps another star apart', async () => {
      expect(
        await q.settle('today-overview', S.U1, S.OTHER_STAR, {
          crystal_balance: 5000,
          today_income: 5000,
          week_rank: 1,
          week_total_users: 1,
        }),
      ).toEqual({ crystal_balance: 5000, today_income: 5000, week_rank: 1, week_total_users: 1 });
    });
  });

  describe('income-curve', () => {
    it('puts 23:59:59.999 and 00:00:00.000 on their own days, counts a late event in its day and a duplicate once', async () => {
      expect(await q.settle('income-curve', S.U1, S.STAR, S.EXPECTED.incomeCurveU1)).toEqual(S.EXPECTED.incomeCurveU1);
    });
    it('gives a tied peak to the later day', async () => {
      expect(await q.settle('income-curve', S.U3, S.STAR, S.EXPECTED.incomeCurveU3)).toEqual(S.EXPECTED.incomeCurveU3);
    });
    it('zero-fills with no peak when there is no income', async () => {
      const r = await q.get('income-curve', S.U4, S.STAR);
      expect(r.body.data).toMatchObject({ total_income: 0, avg_income: 0 });
      expect((r.body.data!.points as Array<{ is_peak: boolean }>).some((pt) => pt.is_peak)).toBe(false);
    });
  });

  describe('asset reads', () => {
    it.each([
      ['exhibition-summary', S.EXPECTED.exhibitionSummary],
      ['like-income-by-level', S.EXPECTED.likeIncomeByLevel],
      ['top-assets', S.EXPECTED.topAssets],
      ['level-distribution', S.EXPECTED.levelDistribution],
      ['upgrade-progress', S.EXPECTED.upgradeProgress],
    ])('%s answers exactly (level-up before mint, running exhibition, end before start, ids above 2^53, ties)', async (read, expected) => {
      expect(await q.settle(read, S.UB, S.ASSET_STAR, expected)).toEqual(expected);
    });
    it("never shows another user's assets", async () => {
      const r = await q.get('top-assets', S.U1, S.ASSET_STAR);
      expect(r.body).toEqual({ code: 200, data: { items: [] } });
      const lvl = await q.get('level-distribution', S.U1, S.ASSET_STAR);
      expect((lvl.body.data!.items as Array<{ count: number }>).every((i) => i.count === 0)).toBe(true);
    });
  });

  describe('errors', () => {
    it.each([
      ['missing star_id', null, 'star_id is required'],
      ['zero', '0', 'star_id must be a positive 64-bit decimal integer'],
      ['negative', '-5', 'star_id must be a positive 64-bit decimal integer'],
      ['not a number', 'abc', 'star_id must be a positive 64-bit decimal integer'],
      ['above int64', '9223372036854775808', 'star_id must be a positive 64-bit decimal integer'],
    ])('400 for %s', async (_n, star, message) => {
      expect(await q.get('today-overview', S.U1, star)).toEqual({ status: 400, body: { code: 400, message } });
    });
    it.each([
      ['no token', ''],
      ['not bearer', `Basic ${token(S.U1)}`],
      ['wrong secret', `Bearer ${token(S.U1, {}, 'other-secret')}`],
      ['expired', `Bearer ${token(S.U1, { expiresIn: -10 })}`],
      ['sub not an id', `Bearer ${token('alice')}`],
      ['garbage', 'Bearer abc.def.ghi'],
    ])('401 for %s', async (_n, auth) => {
      const r = await q.get('today-overview', null, S.STAR, auth);
      expect(r.status).toBe(401);
      expect(r.body.code).toBe(401);
      expect(r.body.message).toEqual(expect.any(String));
    });
    it('404 for an unknown route', async () => {
      expect(await q.get('no-such-read', S.U1, S.STAR)).toEqual({ status: 404, body: { code: 404, message: 'unknown route' } });
    });
    it('accepts a user id above 2^53 in the token', async () => {
      expect(JWT_SECRET).toBeTruthy();
      const r = await q.get('today-overview', S.UB, S.STAR);
      expect(r).toEqual({
        status: 200,
        body: { code: 200, data: { crystal_balance: 0, today_income: 0, week_rank: 0, week_total_users: 3 } },
      });
    });
  });

  describe('cache', () => {
    it('serves a repeated read from Redis', async () => {
      await q.settle('level-distribution', S.UB, S.ASSET_STAR, S.EXPECTED.levelDistribution);
      // The answer can be right before the invalidator has bumped its generation for the last asset
      // change; a bump then puts the next answer under a new key (a loaded CI run saw both keys).
      await p.caughtUp('ASSET_AGG_GROUP_ID', p.topics.topics.events);
      await p.caughtUp('INVALIDATOR_GROUP_ID', p.topics.topics.changes);
      const before = await p.redis.keys(`${p.cachePrefix}:ans:level-distribution:${S.ASSET_STAR}:${S.UB}:*`);
      if (before.length > 0) await p.redis.del(...before);
      await q.get('level-distribution', S.UB, S.ASSET_STAR);
      await q.get('level-distribution', S.UB, S.ASSET_STAR);
      const keys = await p.redis.keys(`${p.cachePrefix}:ans:level-distribution:${S.ASSET_STAR}:${S.UB}:2026-11-25:*`);
      expect(keys).toHaveLength(1);
      // Tamper with the cached answer: the next read must return it, proving it came from Redis.
      await p.redis.set(keys[0]!, JSON.stringify({ code: 200, data: { from: 'cache' } }), 'EX', 60);
      expect((await q.get('level-distribution', S.UB, S.ASSET_STAR)).body.data).toEqual({ from: 'cache' });
      await p.redis.del(keys[0]!);
    });

    it('replaces a cached answer within 2 s of an event that changes it, and the rank of another user', async () => {
      await q.settle('today-overview', S.U1, S.STAR, S.EXPECTED.todayOverview[S.U1]);
      await q.settle('today-overview', S.U2, S.STAR, S.EXPECTED.todayOverview[S.U2]);
      const [e] = toEvents([
        {
          event_id: 'u1-boost',
          event_type: 'crystal.change',
          user_id: S.U1,
          star_id: S.STAR,
          occurred_at: '2026-11-25T11:30:00+08:00',
          properties: { amount: 100, balance_after: 220, reason: 'boost' },
        },
      ]);
      const published = Date.now();
      await p.publisher.publish([e!]);
      const mine = { crystal_balance: 220, today_income: 200, week_rank: 1, week_total_users: 3 };
      const theirs = { crystal_balance: 157, today_income: 0, week_rank: 3, week_total_users: 3 };
      expect(await q.settle('today-overview', S.U1, S.STAR, mine, 2000)).toEqual(mine);
      expect(await q.settle('today-overview', S.U2, S.STAR, theirs, 2000 - (Date.now() - published))).toEqual(theirs);
      expect(Date.now() - published).toBeLessThan(2000);
    });

    it('shows the new day at midnight under a pinned clock while the old day is cached', async () => {
      q.clock.now = Date.parse('2026-11-25T23:59:59.999+08:00');
      const before = await q.get('income-curve', S.U3, S.STAR);
      expect((before.body.data!.points as Array<{ date: string }>).at(-1)!.date).toBe('2026-11-25');
      await q.get('income-curve', S.U3, S.STAR); // cached now
      q.clock.now = Date.parse('2026-11-26T00:00:00.000+08:00');
      const after = await q.get('income-curve', S.U3, S.STAR);
      expect(after.body.data).toEqual({
        points: [
          S.point('2026-11-20', 0),
          S.point('2026-11-21', 0),
          S.point('2026-11-22', 0),
          S.point('2026-11-23', 0),
          S.point('2026-11-24', 100),
          S.point('2026-11-25', 100, false, true),
          S.point('2026-11-26', 0, true),
        ],
        total_income: 200,
        avg_income: 28,
      });
      q.clock.now = S.NOW;
    });
  });
});
