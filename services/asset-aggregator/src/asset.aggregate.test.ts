import { validateEvent, type DashboardEvent } from '@fan/events';
import { applyAssetEvents, assetKey, type AssetRow } from './asset.aggregate';

let n = 0;
const ev = (type: string, at: string, properties: Record<string, unknown>): DashboardEvent => {
  const v = validateEvent({ event_id: `e${++n}`, event_type: type, user_id: '1', star_id: '7', occurred_at: at, properties });
  if (!v.ok) throw new Error(v.reason);
  return v.event;
};
const A = { asset_id: '9007199254740993' };
const key = assetKey(7n, 1n, 9007199254740993n);

describe('applyAssetEvents', () => {
  it('takes the latest exhibition event by occurred_at even when the end arrives first', () => {
    const rows = new Map<string, AssetRow>();
    applyAssetEvents(
      rows,
      [
        ev('exhibition.end', '2026-11-25T10:00:00Z', { ...A, slot_id: '1', duration_ms: 60_000 }),
        ev('exhibition.start', '2026-11-25T09:00:00Z', { ...A, slot_id: '1' }),
      ],
      'UTC',
    );
    expect(rows.get(key)).toMatchObject({ exhibiting: false, totalDurationMs: 60_000n });
  });

  it('keeps the later level-up as current and asks for a recount when the level changes', () => {
    const rows = new Map<string, AssetRow>();
    const fx = applyAssetEvents(
      rows,
      [
        ev('asset.level_up', '2026-11-25T10:00:00Z', { ...A, from_level: 'R', to_level: 'SR' }),
        ev('asset.level_up', '2026-11-24T10:00:00Z', { ...A, from_level: 'N', to_level: 'R' }),
        ev('asset.mint', '2026-11-20T10:00:00Z', { ...A, level: 'N', asset_name: 'x', asset_thumb: 't' }),
      ],
      'UTC',
    );
    expect(rows.get(key)).toMatchObject({ minted: true, mintLevel: 'N', levelupLevel: 'SR' });
    expect(fx.recount).toEqual(new Set([key]));
    expect(fx.levelUps.map((l) => l.toLevel)).toEqual(['SR', 'R']);
  });

  it('counts progress only from the current level on, and nothing at the top level', () => {
    const rows = new Map<string, AssetRow>();
    applyAssetEvents(rows, [ev('asset.level_up', '2026-11-25T10:00:00Z', { ...A, from_level: 'N', to_level: 'R' })], 'UTC');
    const fx = applyAssetEvents(
      rows,
      [
        ev('asset.like', '2026-11-25T09:59:59.999Z', { ...A, liker_user_id: '2', amount: 1 }),
        ev('asset.like', '2026-11-25T10:00:00.000Z', { ...A, liker_user_id: '2', amount: 1 }),
        ev('exhibition.end', '2026-11-25T11:00:00Z', { ...A, slot_id: '1', duration_ms: 5000 }),
      ],
      'UTC',
    );
    expect(rows.get(key)).toMatchObject({ likeCount: 2n, likeAmount: 2n, progressLikes: 1n, progressDurationMs: 5000n });
    expect(fx.activity).toHaveLength(2); // the like before the level can never count again: not kept

    applyAssetEvents(rows, [ev('asset.level_up', '2026-11-26T10:00:00Z', { ...A, from_level: 'SSR', to_level: 'UR' })], 'UTC');
    const top = applyAssetEvents(rows, [ev('asset.like', '2026-11-27T10:00:00Z', { ...A, liker_user_id: '2', amount: 1 })], 'UTC');
    expect(top.activity).toHaveLength(0);
  });

  it('adds revenue and end durations to the business day of the event', () => {
    const rows = new Map<string, AssetRow>();
    const fx = applyAssetEvents(
      rows,
      [
        ev('exhibition.revenue', '2026-11-24T15:59:59.999Z', { ...A, amount: 5, duration_ms: 0 }),
        ev('exhibition.revenue', '2026-11-24T16:00:00.000Z', { ...A, amount: 7, duration_ms: 0 }),
      ],
      'Asia/Shanghai',
    );
    expect([...fx.daily.values()].map((d) => [d.day, d.revenue])).toEqual([
      ['2026-11-24', 5n],
      ['2026-11-25', 7n],
    ]);
    expect(rows.get(key)!.totalRevenue).toBe(12n);
  });

  it('never counts activity before the mint: dropped once the mint is known, recounted when the mint arrives later', () => {
    const mint = ev('asset.mint', '2026-11-25T10:00:00Z', { ...A, level: 'N', asset_name: 'x', asset_thumb: 't' });
    const early = ev('asset.like', '2026-11-25T09:59:59.999Z', { ...A, liker_user_id: '2', amount: 1 });
    const onTime = ev('exhibition.end', '2026-11-25T10:00:00.000Z', { ...A, slot_id: '1', duration_ms: 4000 });

    const known = new Map<string, AssetRow>();
    const a = applyAssetEvents(known, [mint, early, onTime], 'UTC');
    expect(known.get(key)).toMatchObject({
      mintedAt: BigInt(Date.parse('2026-11-25T10:00:00Z')),
      progressLikes: 0n,
      progressDurationMs: 4000n,
    });
    expect(a.activity.map((x) => x.eventId)).toEqual([onTime.event_id]);

    const late = new Map<string, AssetRow>();
    const b = applyAssetEvents(late, [early, onTime], 'UTC');
    expect(b.activity).toHaveLength(2); // the start of progress is not known yet: kept for the recount
    const c = applyAssetEvents(late, [mint], 'UTC');
    expect([...c.recount]).toEqual([key]);
  });
});
