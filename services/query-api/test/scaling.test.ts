import { createTestPipeline, waitFor, type ServiceProcess, type TestPipeline } from '@fan/test-support';
import { startQuery, toEvents } from './harness';
import * as S from './scenario';

/** The partitions a service process was assigned at its latest group join (from its JSON log). */
function lastAssignment(s: ServiceProcess): number[] | undefined {
  const joins = s
    .output()
    .split('\n')
    .filter((l) => l.includes('"joined consumer group"'));
  const last = joins.at(-1);
  if (!last) return undefined;
  const assignment = (JSON.parse(last) as { assignment: Record<string, number[]> }).assignment;
  return Object.values(assignment).flat().sort();
}

describe('two instances of each aggregator sharing the partitions', () => {
  let p: TestPipeline;
  let q: Awaited<ReturnType<typeof startQuery>>;
  const instances: Record<string, ServiceProcess[]> = {};

  beforeAll(async () => {
    p = await createTestPipeline('scaling');
    for (const name of ['income-aggregator', 'asset-aggregator']) instances[name] = [p.start(name), p.start(name)];
    p.start('cache-invalidator');
    q = await startQuery(p, S.NOW);
    // Both members hold partitions before any event flows, so the work really is shared.
    for (const name of Object.keys(instances)) {
      await waitFor(
        `${name} partitions split across two instances`,
        async () => {
          const [a, b] = instances[name]!.map(lastAssignment);
          return a?.length && b?.length && [...a, ...b].sort().join() === '0,1,2';
        },
        60_000,
        200,
      );
    }
    const events = toEvents([...S.incomeEvents(), ...S.assetEvents()]);
    for (let i = 0; i < events.length; i += 7) await p.publisher.publish(events.slice(i, i + 7));
  });

  afterAll(async () => {
    await q.close();
    await p.stop();
  });

  it.each([
    ['today-overview', S.U1, S.STAR, S.EXPECTED.todayOverview[S.U1]],
    ['today-overview', S.U2, S.STAR, S.EXPECTED.todayOverview[S.U2]],
    ['today-overview', S.U3, S.STAR, S.EXPECTED.todayOverview[S.U3]],
    ['income-curve', S.U1, S.STAR, S.EXPECTED.incomeCurveU1],
    ['exhibition-summary', S.UB, S.ASSET_STAR, S.EXPECTED.exhibitionSummary],
    ['like-income-by-level', S.UB, S.ASSET_STAR, S.EXPECTED.likeIncomeByLevel],
    ['top-assets', S.UB, S.ASSET_STAR, S.EXPECTED.topAssets],
    ['level-distribution', S.UB, S.ASSET_STAR, S.EXPECTED.levelDistribution],
    ['upgrade-progress', S.UB, S.ASSET_STAR, S.EXPECTED.upgradeProgress],
  ])('%s for user %s gives the same answer as one instance', async (read, user, star, expected) => {
    expect(await q.settle(read, user, star, expected)).toEqual(expected);
  });

  it('applied every event exactly once across the two instances', async () => {
    const r = await p.db.pool.query<{ aggregator: string; n: number }>(
      'SELECT aggregator, count(*)::int AS n FROM agg_applied_events GROUP BY 1 ORDER BY 1',
    );
    const income = S.incomeEvents().length - 1; // one duplicate
    expect(r.rows).toEqual([
      { aggregator: 'asset-aggregator', n: S.assetEvents().length },
      { aggregator: 'income-aggregator', n: income },
    ]);
  });
});
