import { validateEvent, type DashboardEvent } from '@fan/events';
import { createTestDatabase, type TestDatabase } from '@fan/test-support';
import { maintainPartitions } from '../src/partitions';
import { copyToPartitions } from '../src/steps/copy-to-partitions';

const tz = 'Asia/Shanghai';
const at = (iso: string) => Date.parse(iso);
const crystal = (id: string, occurredAt: string): DashboardEvent => {
  const v = validateEvent({
    event_id: id,
    event_type: 'crystal.change',
    user_id: '1',
    star_id: '2',
    occurred_at: occurredAt,
    properties: { amount: 1, balance_after: 1, reason: 'r' },
  });
  if (!v.ok) throw new Error(v.reason);
  return v.event;
};

describe('raw_events partitions (real Postgres)', () => {
  let db: TestDatabase;
  const partitionOf = async (id: string) =>
    (await db.pool.query<{ p: string }>('SELECT tableoid::regclass::text AS p FROM raw_events WHERE event_id = $1', [id])).rows.map(
      (r) => r.p,
    );
  const partitions = async () =>
    (
      await db.pool.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'raw_events'::regclass ORDER BY 1`,
      )
    ).rows.map((r) => r.name);

  beforeAll(async () => {
    db = await createTestDatabase('partitions');
  });
  afterAll(async () => db.drop());

  it('creates yesterday through 7 days ahead in the business zone, idempotently', async () => {
    const r = await maintainPartitions(db.pool, { tz, daysAhead: 7, retentionDays: 30, folders: [], now: at('2026-11-22T00:30:00+08:00') });
    expect(r.created).toEqual([
      'raw_events_p20261121',
      'raw_events_p20261122',
      'raw_events_p20261123',
      'raw_events_p20261124',
      'raw_events_p20261125',
      'raw_events_p20261126',
      'raw_events_p20261127',
      'raw_events_p20261128',
      'raw_events_p20261129',
    ]);
    const again = await maintainPartitions(db.pool, {
      tz,
      daysAhead: 7,
      retentionDays: 30,
      folders: [],
      now: at('2026-11-22T00:30:00+08:00'),
    });
    expect(again).toEqual({ created: [], expired: [], dropped: [], waiting: 0, movedFromDefault: 0 });
  });

  it('routes by business day: 23:59:59.999 and 00:00:00.000 land in neighbouring partitions', async () => {
    await copyToPartitions(db.pool)(
      [
        { event: crystal('late-night', '2026-11-22T23:59:59.999+08:00'), offset: '1' },
        { event: crystal('midnight', '2026-11-23T00:00:00.000+08:00'), offset: '2' },
      ],
      0,
    );
    expect(await partitionOf('late-night')).toEqual(['raw_events_p20261122']);
    expect(await partitionOf('midnight')).toEqual(['raw_events_p20261123']);
  });

  it('stores an event outside the created range in DEFAULT, and moves it when its day gets a partition', async () => {
    await copyToPartitions(db.pool)([{ event: crystal('far-future', '2026-12-15T12:00:00+08:00'), offset: '3' }], 0);
    expect(await partitionOf('far-future')).toEqual(['raw_events_default']);
    const r = await maintainPartitions(db.pool, { tz, daysAhead: 7, retentionDays: 30, folders: [], now: at('2026-12-14T09:00:00+08:00') });
    expect(r.created).toContain('raw_events_p20261215');
    expect(r.movedFromDefault).toBe(1);
    expect(await partitionOf('far-future')).toEqual(['raw_events_p20261215']);
  });

  const expiredTables = async () =>
    (
      await db.pool.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'raw_expired' AND c.relkind = 'r' ORDER BY 1`,
      )
    ).rows.map((r) => r.name);

  it('keeps an expired partition, detached, until every folder has folded it; then drops it', async () => {
    const now = at('2026-12-22T09:00:00+08:00');
    await copyToPartitions(db.pool)([{ event: crystal('old', '2026-11-21T10:00:00+08:00'), offset: '4' }], 0);
    const r = await maintainPartitions(db.pool, { tz, daysAhead: 7, retentionDays: 30, folders: ['a', 'b'], now });
    // cutoff = 2026-11-22: the 21st expires, and no longer takes rows.
    expect(r.expired).toEqual([expect.stringMatching(/^raw_events_p20261121_tx\d+$/)]);
    const name = r.expired[0]!;
    expect(r.dropped).toEqual([]);
    expect(r.waiting).toBe(1);
    expect(await partitions()).not.toContain('raw_events_p20261121');
    expect(await partitionOf('old')).toEqual([]);
    expect((await db.pool.query(`SELECT event_id FROM raw_expired.${name}`)).rows).toEqual([{ event_id: 'old' }]);

    await db.pool.query(`INSERT INTO raw_folds (aggregator, expired_table, events) VALUES ('a', $1, 1)`, [name]);
    const one = await maintainPartitions(db.pool, { tz, daysAhead: 7, retentionDays: 30, folders: ['a', 'b'], now });
    expect([one.dropped, one.waiting]).toEqual([[], 1]);
    await db.pool.query(`INSERT INTO raw_folds (aggregator, expired_table, events) VALUES ('b', $1, 1)`, [name]);
    const both = await maintainPartitions(db.pool, { tz, daysAhead: 7, retentionDays: 30, folders: ['a', 'b'], now });
    expect([both.dropped, both.waiting]).toEqual([[name], 0]);
    expect(await expiredTables()).toEqual([]);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM raw_folds')).rows[0].n).toBe(0);
  });

  it('expires a late event that reached DEFAULT for a day past retention, into a table of its own', async () => {
    const now = at('2026-12-23T09:00:00+08:00');
    await copyToPartitions(db.pool)([{ event: crystal('very-late', '2026-11-01T10:00:00+08:00'), offset: '5' }], 0);
    expect(await partitionOf('very-late')).toEqual(['raw_events_default']);
    const r = await maintainPartitions(db.pool, { tz, daysAhead: 7, retentionDays: 30, folders: ['a'], now });
    expect(r.expired).toEqual([expect.stringMatching(/^raw_events_p20261122_tx\d+$/), expect.stringMatching(/^raw_events_default_tx\d+$/)]);
    expect((await db.pool.query(`SELECT event_id FROM raw_expired.${r.expired[1]}`)).rows).toEqual([{ event_id: 'very-late' }]);
    const gone = await maintainPartitions(db.pool, { tz, daysAhead: 7, retentionDays: 30, folders: [], now });
    expect(gone.dropped.sort()).toEqual([...r.expired].sort());
  });

  it('drops partitions older than the retention and prunes their de-duplication keys', async () => {
    const now = at('2026-12-24T09:00:00+08:00');
    const r = await maintainPartitions(db.pool, { tz, daysAhead: 7, retentionDays: 30, folders: [], now });
    // cutoff = 2026-11-24 (the 21st and 22nd expired above): the 23rd goes, with no folders at once.
    expect(r.dropped).toEqual([expect.stringMatching(/^raw_events_p20261123_tx\d+$/)]);
    const names = await partitions();
    expect(names).not.toContain('raw_events_p20261123');
    expect(names).toContain('raw_events_p20261124');
    expect(names).toContain('raw_events_p20261231');
    const ids = await db.pool.query('SELECT event_id FROM raw_event_ids ORDER BY 1');
    expect(ids.rows.map((x) => x.event_id)).toEqual(['far-future']);
  });
});
