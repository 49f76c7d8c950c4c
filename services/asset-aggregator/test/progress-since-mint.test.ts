import { validateEvent, type DashboardEvent } from '@fan/events';
import { createTestPipeline, waitFor, type TestPipeline } from '@fan/test-support';

const ev = (id: string, type: string, at: string, properties: Record<string, unknown>): DashboardEvent => {
  const v = validateEvent({ event_id: id, event_type: type, user_id: '1234567890123456789', star_id: '7', occurred_at: at, properties });
  if (!v.ok) throw new Error(v.reason);
  return v.event;
};

/**
 * CONTRACT §3: progress counts likes and exhibition.end seconds since the asset entered its current
 * level — never before its mint or its latest level-up — whatever order the events arrive in.
 * Each ordering is published in separate chunks (one publish each) to a private pipeline.
 */
describe('asset aggregator: progress only since the mint and the latest level-up, in any arrival order', () => {
  let p: TestPipeline;
  beforeAll(async () => {
    p = await createTestPipeline('sincemint', 1);
    p.start('asset-aggregator', { ASSET_AGG_BATCH_MAX: '1' }); // one event per transaction: the worst case for ordering
  });
  afterAll(async () => {
    await p.stop();
  });

  const events = (asset: string) => {
    const A = { asset_id: asset };
    return [
      ev(`${asset}-like-before-mint`, 'asset.like', '2026-11-20T09:59:59.999+08:00', { ...A, liker_user_id: '2', amount: 1 }),
      ev(`${asset}-end-before-mint`, 'exhibition.end', '2026-11-20T09:00:00+08:00', { ...A, slot_id: '1', duration_ms: 600_000 }),
      ev(`${asset}-mint`, 'asset.mint', '2026-11-20T10:00:00+08:00', { ...A, level: 'N', asset_name: 'Moon', asset_thumb: 'm.png' }),
      ev(`${asset}-like-at-mint`, 'asset.like', '2026-11-20T10:00:00.000+08:00', { ...A, liker_user_id: '3', amount: 1 }),
      ev(`${asset}-end-after-mint`, 'exhibition.end', '2026-11-20T11:00:00+08:00', { ...A, slot_id: '1', duration_ms: 30_000 }),
      ev(`${asset}-like-before-up`, 'asset.like', '2026-11-21T09:00:00+08:00', { ...A, liker_user_id: '4', amount: 1 }),
      ev(`${asset}-up`, 'asset.level_up', '2026-11-21T10:00:00+08:00', { ...A, from_level: 'N', to_level: 'R' }),
      ev(`${asset}-like-after-up`, 'asset.like', '2026-11-21T10:00:00.001+08:00', { ...A, liker_user_id: '5', amount: 1 }),
      ev(`${asset}-end-after-up`, 'exhibition.end', '2026-11-21T12:00:00+08:00', { ...A, slot_id: '1', duration_ms: 7_000 }),
    ];
  };
  // Mint first, mint last, level-up before the mint, reversed, interleaved.
  const orders: Record<string, number[]> = {
    '101': [0, 1, 2, 3, 4, 5, 6, 7, 8],
    '102': [8, 7, 6, 5, 4, 3, 2, 1, 0],
    '103': [0, 1, 3, 4, 5, 7, 8, 6, 2],
    '104': [6, 0, 7, 1, 8, 3, 4, 5, 2],
    '105': [2, 6, 8, 7, 5, 4, 3, 1, 0],
  };

  it('every ordering ends with 1 like and 7 s since the level-up at R, and 4 likes of all time', async () => {
    for (const [asset, order] of Object.entries(orders)) {
      const evs = events(asset);
      for (const i of order) await p.publisher.publish([evs[i]!]);
    }
    const rows = await waitFor(
      'all applied',
      async () => {
        const r = await p.db.pool.query<{ asset_id: string; lvl: string; likes: string; ms: string; all_likes: string }>(
          `SELECT asset_id::text, levelup_level AS lvl, progress_likes::text AS likes, progress_duration_ms::text AS ms, like_count::text AS all_likes
         FROM agg_assets ORDER BY asset_id`,
        );
        const n = await p.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM agg_applied_events');
        return n.rows[0]!.n === 45 ? r.rows : undefined;
      },
      60_000,
      200,
    );
    expect(rows).toEqual(Object.keys(orders).map((asset) => ({ asset_id: asset, lvl: 'R', likes: '1', ms: '7000', all_likes: '4' })));
  });

  it('before any level-up, progress counts from the mint: the like at the mint instant counts, the earlier one never', async () => {
    for (const [asset, order] of [
      ['201', [0, 1, 3, 4, 2]],
      ['202', [2, 4, 3, 1, 0]],
      ['203', [4, 3, 2, 0, 1]],
    ] as const) {
      const evs = events(asset);
      for (const i of order) await p.publisher.publish([evs[i]!]);
    }
    const rows = await waitFor(
      'applied',
      async () => {
        const r = await p.db.pool.query<{ asset_id: string; likes: string; ms: string }>(
          `SELECT asset_id::text, progress_likes::text AS likes, progress_duration_ms::text AS ms FROM agg_assets WHERE asset_id >= 200 ORDER BY asset_id`,
        );
        const n = await p.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM agg_applied_events');
        return n.rows[0]!.n === 60 ? r.rows : undefined;
      },
      60_000,
      200,
    );
    expect(rows).toEqual(['201', '202', '203'].map((asset) => ({ asset_id: asset, likes: '1', ms: '30000' })));
  });
});
