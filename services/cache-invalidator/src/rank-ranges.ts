/** A user's weekly income moving up from `old` to `new` in one star-week. */
export interface RankMove {
  star: string;
  week: string;
  old: string;
  new: string;
}

/**
 * The income ranges [lo, hi) whose users' week rank moved, merged per star-week: a user whose
 * income lies in [old, new) of someone else's rise now has one more user above. Overlapping rises
 * (a busy star-week gathers many per chunk) become one range, so Postgres scans each part of the
 * rank index once. The risers themselves may fall in a range; their own reads are bumped anyway.
 * Columns for unnest: star, week, lo, hi.
 */
export function mergedRankRanges(moves: readonly RankMove[]): [string[], string[], string[], string[]] {
  const byWeek = new Map<string, { star: string; week: string; ranges: [bigint, bigint][] }>();
  for (const m of moves) {
    const lo = BigInt(m.old);
    const hi = BigInt(m.new);
    if (hi <= lo) continue;
    const k = `${m.star}|${m.week}`;
    let w = byWeek.get(k);
    if (!w) byWeek.set(k, (w = { star: m.star, week: m.week, ranges: [] }));
    w.ranges.push([lo, hi]);
  }
  const out: [string[], string[], string[], string[]] = [[], [], [], []];
  for (const { star, week, ranges } of byWeek.values()) {
    ranges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let [lo, hi] = ranges[0] as [bigint, bigint];
    const emit = () => {
      out[0].push(star);
      out[1].push(week);
      out[2].push(lo.toString());
      out[3].push(hi.toString());
    };
    for (const [l, h] of ranges.slice(1)) {
      if (l <= hi) {
        if (h > hi) hi = h;
        continue;
      }
      emit();
      [lo, hi] = [l, h];
    }
    emit();
  }
  return out;
}
