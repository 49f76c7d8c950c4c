import { validateEvent, type DashboardEvent } from '@fan/events';
import { createTestDatabase, type TestDatabase } from '@fan/test-support';
import { copyToPartitions } from '../src/steps/copy-to-partitions';

const crystal = (id: string, ms = 1_700_000_000_000): { event: DashboardEvent; offset: string } => {
  const v = validateEvent({
    event_id: id,
    event_type: 'crystal.change',
    user_id: '1',
    star_id: '2',
    occurred_at: ms,
    properties: { amount: 1, balance_after: 1, reason: 'r' },
  });
  if (!v.ok) throw new Error(v.reason);
  return { event: v.event, offset: id.replace(/\D/g, '') || '0' };
};

describe('copyToPartitions on real Postgres', () => {
  let db: TestDatabase;
  const stored = async () =>
    (
      await db.pool.query<{ n: number; d: number; ids: number }>(
        'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d, (SELECT count(*)::int FROM raw_event_ids) AS ids FROM raw_events',
      )
    ).rows[0]!;

  beforeAll(async () => {
    db = await createTestDatabase('copyparts');
  });
  afterAll(async () => db.drop());

  it('stores a fresh chunk by direct COPY, then a chunk with a stored id through the merge, each id once', async () => {
    const apply = copyToPartitions(db.pool);
    expect(await apply([crystal('c1'), crystal('c2'), crystal('c2'), crystal('c3')], 0)).toEqual({ applied: 3, duplicates: 1 });
    expect(await stored()).toEqual({ n: 3, d: 3, ids: 3 });

    // c2 is already stored: the direct COPY is refused as a whole and the merge keeps c4 and c5.
    expect(await apply([crystal('c4'), crystal('c2'), crystal('c5')], 0)).toEqual({ applied: 2, duplicates: 1 });
    // The partition stays on the merge path for a while: a replayed run is absorbed, not refused.
    expect(await apply([crystal('c1'), crystal('c6')], 0)).toEqual({ applied: 1, duplicates: 1 });
    // Same event_id at another instant (a re-publish that filled occurred_at anew): still once.
    expect(await apply([crystal('c6', 1_700_000_999_000)], 1)).toEqual({ applied: 0, duplicates: 1 });
    expect(await stored()).toEqual({ n: 6, d: 6, ids: 6 });
  });

  it('leaves nothing behind when a chunk fails for another reason than a duplicate', async () => {
    const apply = copyToPartitions(db.pool);
    const before = await stored();
    const bad = crystal('c7');
    // Postgres refuses the row (jsonb takes no unpaired surrogate) after the ids went in: both roll back.
    (bad.event.properties as { reason: string }).reason = '\ud800';
    await expect(apply([crystal('c8'), bad], 0)).rejects.toThrow(/invalid input syntax for type json/);
    expect(await stored()).toEqual(before);
  });
});
