import { createTestDatabase, type TestDatabase } from '@fan/test-support';
import { pruneAppliedEvents } from '../src/prune-applied';

describe('pruning exactly-once claims', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('prune');
  });
  afterAll(async () => {
    await db.drop();
  });

  it("deletes one aggregator's claims older than the retention, in batches, and nothing else", async () => {
    await db.pool.query(
      `INSERT INTO agg_applied_events (aggregator, event_id, occurred_at, applied_at)
       SELECT a, a || '-' || d || '-' || i, now() - interval '400 days', now() - make_interval(days => d)
       FROM unnest(ARRAY['income-aggregator', 'asset-aggregator']) a, generate_series(1, 25) i, unnest(ARRAY[40, 34]) d`,
    );
    expect(await pruneAppliedEvents(db.pool, 'income-aggregator', 35, 10)).toBe(25);
    const left = await db.pool.query<{ aggregator: string; age: number; n: number }>(
      `SELECT aggregator, round(extract(epoch FROM now() - applied_at) / 86400)::int AS age, count(*)::int AS n
       FROM agg_applied_events GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(left.rows).toEqual([
      { aggregator: 'asset-aggregator', age: 34, n: 25 },
      { aggregator: 'asset-aggregator', age: 40, n: 25 },
      { aggregator: 'income-aggregator', age: 34, n: 25 },
    ]);
    expect(await pruneAppliedEvents(db.pool, 'income-aggregator', 35, 10)).toBe(0);
  });
});
