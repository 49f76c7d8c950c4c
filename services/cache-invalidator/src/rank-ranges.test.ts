import { mergedRankRanges } from './rank-ranges';

describe('mergedRankRanges', () => {
  it('merges overlapping and touching rises of one star-week and keeps star-weeks apart', () => {
    const [star, week, lo, hi] = mergedRankRanges([
      { star: '7', week: '2026-11-23', old: '100', new: '200' },
      { star: '7', week: '2026-11-23', old: '150', new: '300' },
      { star: '7', week: '2026-11-23', old: '300', new: '310' },
      { star: '7', week: '2026-11-23', old: '500', new: '600' },
      { star: '7', week: '2026-11-16', old: '120', new: '130' },
      { star: '8', week: '2026-11-23', old: '100', new: '200' },
    ]);
    expect(star).toEqual(['7', '7', '7', '8']);
    expect(week).toEqual(['2026-11-23', '2026-11-23', '2026-11-16', '2026-11-23']);
    expect(lo).toEqual(['100', '500', '120', '100']);
    expect(hi).toEqual(['310', '600', '130', '200']);
  });

  it('ignores falls and no-ops, and compares incomes beyond 2^53 exactly', () => {
    const big = 2n ** 60n;
    const [, , lo, hi] = mergedRankRanges([
      { star: '1', week: '2026-11-23', old: '50', new: '40' },
      { star: '1', week: '2026-11-23', old: '50', new: '50' },
      { star: '1', week: '2026-11-23', old: String(big), new: String(big + 1n) },
      { star: '1', week: '2026-11-23', old: String(big + 2n), new: String(big + 3n) },
    ]);
    expect(lo).toEqual([String(big), String(big + 2n)]);
    expect(hi).toEqual([String(big + 1n), String(big + 3n)]);
  });

  it('answers nothing for no rises', () => {
    expect(mergedRankRanges([])).toEqual([[], [], [], []]);
  });
});
