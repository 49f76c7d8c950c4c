import { compareEventIds } from '@fan/events';
import { LEVEL_THRESHOLDS, LEVELS, TOP_LEVEL } from '@fan/schemas';

/**
 * The seven reads computed straight from the contract over a list of events, with none of the
 * pipeline's code or tables: the reference the fault suite compares the pipeline with. Written for
 * clarity more than speed: every read rescans the pair's events (indexed by pair, by star and by
 * asset only so that the soak's millions of events are compared in minutes, not hours).
 */
export interface OracleEvent {
  event_id: string;
  event_type: string;
  user_id: string;
  star_id: string;
  occurred_at: number;
  properties: Record<string, string | number>;
}

const formats = new Map<string, Intl.DateTimeFormat>();
const dayOf = (ms: number, tz: string) => {
  let f = formats.get(tz);
  if (!f) formats.set(tz, (f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(new Date(ms));
};
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const mondayOf = (date: string) => shift(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));
const hm = (s: number) => `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
const later = (a: OracleEvent, b: OracleEvent | undefined) =>
  !b || a.occurred_at > b.occurred_at || (a.occurred_at === b.occurred_at && compareEventIds(a.event_id, b.event_id) > 0);
const byAssetAsc = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

export function oracle(all: OracleEvent[], now: number, tz: string) {
  const today = dayOf(now, tz);
  const week = mondayOf(today);
  const last7 = Array.from({ length: 7 }, (_, i) => shift(today, i - 6));
  // Exactly once: the first copy of each event_id.
  const unique = new Map<string, OracleEvent>();
  for (const e of all) if (!unique.has(e.event_id)) unique.set(e.event_id, e);
  const events = [...unique.values()];
  const ofPair = new Map<string, OracleEvent[]>();
  const crystalOfStar = new Map<string, OracleEvent[]>();
  const add = (m: Map<string, OracleEvent[]>, k: string, e: OracleEvent) => (m.get(k) ?? m.set(k, []).get(k)!).push(e);
  for (const e of events) {
    add(ofPair, `${e.star_id}|${e.user_id}`, e);
    if (e.event_type === 'crystal.change') add(crystalOfStar, e.star_id, e);
  }
  const pairEvents = (star: string, user: string) => ofPair.get(`${star}|${user}`) ?? [];
  const usersOfStar = new Map<string, string[]>();
  const usersOf = (star: string) => {
    let u = usersOfStar.get(star);
    if (!u) usersOfStar.set(star, (u = [...new Set((crystalOfStar.get(star) ?? []).map((e) => e.user_id))]));
    return u;
  };
  const days = new Map<number, string>();
  const dayOfEvent = (e: OracleEvent) => {
    let d = days.get(e.occurred_at);
    if (d === undefined) days.set(e.occurred_at, (d = dayOf(e.occurred_at, tz)));
    return d;
  };

  // Positive crystal changes summed per business day, once per pair: what every income read adds up.
  const dailyOfPair = new Map<string, Map<string, number>>();
  const daily = (star: string, user: string) => {
    const key = `${star}|${user}`;
    let m = dailyOfPair.get(key);
    if (!m) {
      dailyOfPair.set(key, (m = new Map()));
      for (const e of pairEvents(star, user)) {
        const amount = Number(e.properties.amount);
        if (e.event_type !== 'crystal.change' || !(amount > 0)) continue;
        const d = dayOfEvent(e);
        m.set(d, (m.get(d) ?? 0) + amount);
      }
    }
    return m;
  };
  const income = (star: string, user: string, pred: (day: string) => boolean) => {
    let s = 0;
    for (const [d, amount] of daily(star, user)) if (pred(d)) s += amount;
    return s;
  };
  const weekIncomes = new Map<string, number>();
  const weekIncome = (star: string, user: string) => {
    const key = `${star}|${user}`;
    let w = weekIncomes.get(key);
    if (w === undefined) weekIncomes.set(key, (w = income(star, user, (d) => mondayOf(d) === week)));
    return w;
  };

  // Five reads ask for the same pair's assets: computed once per pair, its events grouped by
  // asset in one pass (a scan per asset made the soak's comparison quadratic).
  const assetsOfPair = new Map<string, ReturnType<typeof computeAssets>>();
  const assets = (star: string, user: string) => {
    const key = `${star}|${user}`;
    let a = assetsOfPair.get(key);
    if (!a) assetsOfPair.set(key, (a = computeAssets(star, user)));
    return a;
  };

  function computeAssets(star: string, user: string) {
    const ofAsset = new Map<string, OracleEvent[]>();
    for (const e of pairEvents(star, user)) if ('asset_id' in e.properties) add(ofAsset, String(e.properties.asset_id), e);
    return [...ofAsset].map(([id, evs]) => {
      const mint = evs.find((e) => e.event_type === 'asset.mint');
      let lastUp: OracleEvent | undefined;
      let lastExh: OracleEvent | undefined;
      for (const e of evs) {
        if (e.event_type === 'asset.level_up' && later(e, lastUp)) lastUp = e;
        if ((e.event_type === 'exhibition.start' || e.event_type === 'exhibition.end') && later(e, lastExh)) lastExh = e;
      }
      const level = lastUp ? String(lastUp.properties.to_level) : mint ? String(mint.properties.level) : null;
      // CONTRACT §3: progress counts only what happened since the asset entered its current level,
      // which is never before its (earliest) mint.
      const mintedAt = evs.reduce((m, e) => (e.event_type === 'asset.mint' && e.occurred_at < m ? e.occurred_at : m), Infinity);
      const since = Math.max(lastUp?.occurred_at ?? -Infinity, mintedAt === Infinity ? -Infinity : mintedAt);
      const sum = (type: string, field: string, pred: (e: OracleEvent) => boolean = () => true) =>
        evs.filter((e) => e.event_type === type && pred(e)).reduce((s, e) => s + Number(e.properties[field]), 0);
      const in7 = (e: OracleEvent) => last7.includes(dayOfEvent(e));
      return {
        id,
        owned: !!mint,
        level,
        name: mint ? String(mint.properties.asset_name) : '',
        thumb: mint ? String(mint.properties.asset_thumb) : '',
        exhibiting: lastExh?.event_type === 'exhibition.start',
        durationMs: sum('exhibition.end', 'duration_ms'),
        revenue: sum('exhibition.revenue', 'amount'),
        likes: evs.filter((e) => e.event_type === 'asset.like').length,
        likeAmount: sum('asset.like', 'amount'),
        revenue7: sum('exhibition.revenue', 'amount', in7),
        duration7Ms: sum('exhibition.end', 'duration_ms', in7),
        progressLikes: evs.filter((e) => e.event_type === 'asset.like' && e.occurred_at >= since).length,
        progressMs: sum('exhibition.end', 'duration_ms', (e) => e.occurred_at >= since),
        levelUps: evs.filter((e) => e.event_type === 'asset.level_up'),
      };
    });
  }

  return {
    'today-overview': (star: string, user: string) => {
      const ledger = pairEvents(star, user).filter((e) => e.event_type === 'crystal.change');
      let latest: OracleEvent | undefined;
      for (const e of ledger) if (later(e, latest)) latest = e;
      const users = usersOf(star);
      const weekly = users.map((u) => weekIncome(star, u)).filter((w) => w > 0);
      const mine = weekIncome(star, user);
      return {
        crystal_balance: latest ? Number(latest.properties.balance_after) : 0,
        today_income: income(star, user, (d) => d === today),
        week_rank: mine > 0 ? 1 + weekly.filter((w) => w > mine).length : 0,
        week_total_users: weekly.length,
      };
    },
    'income-curve': (star: string, user: string) => {
      const points = last7.map((date) => ({
        date,
        income: income(star, user, (d) => d === date),
        is_today: date === today,
        is_peak: false,
      }));
      const max = Math.max(...points.map((p) => p.income));
      if (max > 0) {
        const i = points.map((p) => p.income).lastIndexOf(max);
        points[i]!.is_peak = true;
      }
      const total = points.reduce((s, p) => s + p.income, 0);
      return { points, total_income: total, avg_income: Math.floor(total / 7) };
    },
    'exhibition-summary': (star: string, user: string) => {
      const a = assets(star, user);
      const seconds = Math.floor(a.reduce((s, x) => s + x.durationMs, 0) / 1000);
      return {
        exhibiting_count: a.filter((x) => x.owned && x.exhibiting).length,
        starbook_count: a.filter((x) => x.owned).length,
        total_duration: hm(seconds),
        total_duration_seconds: seconds,
        total_earnings: a.reduce((s, x) => s + x.revenue, 0),
        top5: a
          .filter((x) => x.revenue7 > 0)
          .sort((x, y) => y.revenue7 - x.revenue7 || byAssetAsc(x.id, y.id))
          .slice(0, 5)
          .map((x) => ({
            asset_id: x.id,
            asset_name: x.name,
            asset_thumb: x.thumb,
            duration_7d: hm(Math.floor(x.duration7Ms / 1000)),
            duration_7d_seconds: Math.floor(x.duration7Ms / 1000),
            earnings_7d: x.revenue7,
            avg_earnings: Math.floor(x.revenue7 / 7),
          })),
      };
    },
    'like-income-by-level': (star: string, user: string) => {
      const a = assets(star, user);
      const owned = a.filter((x) => x.owned);
      return {
        total_like_count: a.reduce((s, x) => s + x.likes, 0),
        total_income: a.reduce((s, x) => s + x.likeAmount, 0),
        levels: LEVELS.filter((l) => owned.some((x) => x.level === l)).map((level) => {
          const at = owned.filter((x) => x.level === level).sort((x, y) => y.likeAmount - x.likeAmount || byAssetAsc(x.id, y.id));
          return { level, asset_count: at.length, total_income: at.reduce((s, x) => s + x.likeAmount, 0), thumb: at[0]!.thumb };
        }),
      };
    },
    'top-assets': (star: string, user: string) => ({
      items: assets(star, user)
        .map((x) => ({ x, e: x.revenue + x.likeAmount }))
        .filter(({ e }) => e > 0)
        .sort((p, q) => q.e - p.e || byAssetAsc(p.x.id, q.x.id))
        .slice(0, 5)
        .map(({ x, e }, i) => ({ asset_id: x.id, asset_name: x.name, asset_thumb: x.thumb, total_earnings: e, rank: i + 1 })),
    }),
    'level-distribution': (star: string, user: string) => {
      const owned = assets(star, user).filter((x) => x.owned);
      return { items: LEVELS.map((level) => ({ level, count: owned.filter((x) => x.level === level).length, total: owned.length })) };
    },
    'upgrade-progress': (star: string, user: string) => {
      const a = assets(star, user);
      const pct = (done: number, req: number) => Math.min(100, Math.floor((100 * done) / req));
      const upcoming = a
        .filter((x) => x.owned && x.level !== TOP_LEVEL && LEVEL_THRESHOLDS[x.level!])
        .map((x) => {
          const t = LEVEL_THRESHOLDS[x.level!]!;
          return {
            asset_id: x.id,
            asset_name: x.name,
            asset_thumb: x.thumb,
            current_level: x.level,
            next_level: t.next,
            like_progress: pct(x.progressLikes, t.likes_required),
            duration_progress: pct(x.progressMs, t.exhibition_seconds_required * 1000),
          };
        })
        .sort(
          (p, q) => q.like_progress + q.duration_progress - (p.like_progress + p.duration_progress) || byAssetAsc(p.asset_id, q.asset_id),
        )
        .slice(0, 5);
      const names = new Map(a.map((x) => [x.id, x]));
      const recent = a
        .flatMap((x) => x.levelUps)
        .sort((p, q) => q.occurred_at - p.occurred_at || compareEventIds(q.event_id, p.event_id))
        .slice(0, 5)
        .map((e) => ({
          asset_id: String(e.properties.asset_id),
          asset_name: names.get(String(e.properties.asset_id))!.name,
          asset_thumb: names.get(String(e.properties.asset_id))!.thumb,
          new_level: String(e.properties.to_level),
          upgrade_time: e.occurred_at,
        }));
      return { upcoming, recent };
    },
  };
}
