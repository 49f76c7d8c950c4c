import { cacheKeys } from '@fan/read-contract';
import { createTestPipeline, freshMetrics, listen, silentLogger, type TestPipeline } from '@fan/test-support';
import { createQueryApp } from '../src/app';
import { createAnswerCache } from '../src/cache';
import { JWT_SECRET, toEvents, token } from './harness';

/**
 * Sums past 2^53 (issue 22), end to end: every amount is within the ways-in limit of 2^53 - 1, only
 * their sums are beyond it. Nothing is dead-lettered, the balance is kept, and every answer carries
 * the exact sum as a JSON number of all its digits. The bodies are compared as text: JSON.parse
 * would round exactly what is tested.
 */
const NOW = Date.parse('2026-11-25T12:00:00+08:00'); // Wednesday; the week began Monday 2026-11-23
const MAX = 9007199254740991; // 2^53 - 1, the largest amount the ways in take
const STAR = '7';
const U = '1234567890123456789';
const U2 = '2'; // 2·MAX + (MAX - 1): one below U, the same double as U's income
const U3 = '3';
const OWNER = '9223372036854775807';
const ASSET = '9007199254740993';

const at = (hms: string) => `2026-11-25T${hms}+08:00`;
const crystal = (id: string, user: string, hms: string, amount: number, balance: number) => ({
  event_id: id,
  event_type: 'crystal.change',
  user_id: user,
  star_id: STAR,
  occurred_at: at(hms),
  properties: { amount, balance_after: balance, reason: 'gift' },
});
const asset = (id: string, type: string, hms: string, properties: Record<string, unknown>) => ({
  event_id: id,
  event_type: type,
  user_id: OWNER,
  star_id: STAR,
  occurred_at: at(hms),
  properties: { asset_id: ASSET, ...properties },
});

const EVENTS = [
  crystal('u-1', U, '10:00:00', MAX, 100),
  crystal('u-2', U, '10:01:00', MAX, 200),
  crystal('u-3', U, '10:02:00', MAX, MAX), // the latest: crystal_balance
  crystal('u2-1', U2, '10:00:00', MAX, 1),
  crystal('u2-2', U2, '10:01:00', MAX, 2),
  crystal('u2-3', U2, '10:02:00', MAX - 1, 3),
  crystal('u3-1', U3, '10:00:00', 5, 5),
  asset('a-mint', 'asset.mint', '09:00:00', { level: 'N', asset_name: 'Whale', asset_thumb: 'w.png' }),
  asset('a-rev-1', 'exhibition.revenue', '10:00:00', { amount: MAX, duration_ms: 0 }),
  asset('a-rev-2', 'exhibition.revenue', '10:01:00', { amount: 2, duration_ms: 0 }),
  asset('a-like-1', 'asset.like', '10:02:00', { liker_user_id: '42', amount: MAX }),
  asset('a-like-2', 'asset.like', '10:03:00', { liker_user_id: '43', amount: 2 }),
  asset('a-end-1', 'exhibition.end', '10:04:00', { slot_id: '1', duration_ms: MAX }),
  asset('a-end-2', 'exhibition.end', '10:05:00', { slot_id: '1', duration_ms: 2 }),
];

// What the contract gives, computed in bigint: revenue, likes and ends each 2^53 + 1. Their digits,
// and those of revenue + likes, are not what a double prints: Number() would change them all.
const M = BigInt(MAX);
const REVENUE = M + 2n; // 9007199254740993
const SECONDS = (M + 2n) / 1000n; // 9007199254740
const DURATION = `${SECONDS / 3600n}h${String((SECONDS % 3600n) / 60n).padStart(2, '0')}m`;
const DAYS = ['2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25'];
const point = (date: string, income: string) =>
  `{"date":"${date}","income":${income},"is_today":${date === '2026-11-25'},"is_peak":${date === '2026-11-25'}}`;

const EXPECTED: Record<string, [string, string]> = {
  'today-overview': [U, '{"crystal_balance":9007199254740991,"today_income":27021597764222973,"week_rank":1,"week_total_users":3}'],
  'today-overview u2': [U2, '{"crystal_balance":3,"today_income":27021597764222972,"week_rank":2,"week_total_users":3}'],
  'today-overview u3': [U3, '{"crystal_balance":5,"today_income":5,"week_rank":3,"week_total_users":3}'],
  'income-curve': [
    U,
    `{"points":[${DAYS.map((d) => point(d, d === '2026-11-25' ? '27021597764222973' : '0')).join(',')}],` +
      `"total_income":27021597764222973,"avg_income":${(3n * M) / 7n}}`,
  ],
  'exhibition-summary': [
    OWNER,
    `{"exhibiting_count":0,"starbook_count":1,"total_duration":"${DURATION}","total_duration_seconds":${SECONDS},` +
      `"total_earnings":9007199254740993,"top5":[{"asset_id":"${ASSET}","asset_name":"Whale","asset_thumb":"w.png",` +
      `"duration_7d":"${DURATION}","duration_7d_seconds":${SECONDS},"earnings_7d":9007199254740993,"avg_earnings":${REVENUE / 7n}}]}`,
  ],
  'top-assets': [
    OWNER,
    `{"items":[{"asset_id":"${ASSET}","asset_name":"Whale","asset_thumb":"w.png","total_earnings":18014398509481986,"rank":1}]}`,
  ],
  'like-income-by-level': [
    OWNER,
    '{"total_like_count":2,"total_income":9007199254740993,"levels":[{"level":"N","asset_count":1,"total_income":9007199254740993,"thumb":"w.png"}]}',
  ],
};

describe('sums beyond 2^53 are stored and answered exactly', () => {
  let p: TestPipeline;
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    p = await createTestPipeline('exactmoney', 3);
    p.start('income-aggregator');
    p.start('asset-aggregator');
    p.start('cache-invalidator');
    const app = createQueryApp({
      db: p.db.pool,
      cache: createAnswerCache(p.redis, cacheKeys(p.cachePrefix), 300, silentLogger()),
      jwtSecret: JWT_SECRET,
      tz: 'Asia/Shanghai',
      clock: () => NOW,
      logger: silentLogger(),
      metrics: freshMetrics(),
      health: {},
    });
    ({ base, close } = await listen(app));
    await p.publisher.publish(toEvents(EVENTS));
  });

  afterAll(async () => {
    await close();
    await p.stop();
  });

  const body = async (read: string, user: string) => {
    const res = await fetch(`${base}/api/v1/dashboard/${read}?star_id=${STAR}`, { headers: { authorization: `Bearer ${token(user)}` } });
    return res.text();
  };
  const settle = async (read: string, user: string, want: string) => {
    const deadline = Date.now() + 30_000;
    let last = '';
    while (Date.now() < deadline) {
      if ((last = await body(read, user)) === want) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return last;
  };

  it.each(Object.entries(EXPECTED))('%s answers the exact digits (raw body text)', async (name, [user, data]) => {
    const read = name.split(' ')[0]!;
    const want = `{"code":200,"data":${data}}`;
    expect(await settle(read, user, want)).toBe(want);
    expect(await body(read, user)).toBe(want); // the cached answer is the same text
  });

  it('dead-letters nothing and stores the exact sums', async () => {
    await p.caughtUp('INCOME_AGG_GROUP_ID', p.topics.topics.events);
    await p.caughtUp('ASSET_AGG_GROUP_ID', p.topics.topics.events);
    const dlq = await p.topics.admin.fetchTopicOffsets(p.topics.topics.deadLetter);
    expect(dlq.map((o) => o.high)).toEqual(dlq.map(() => '0'));
    const weekly = await p.db.pool.query<{ user_id: string; income: string }>(
      'SELECT w.user_id::text, w.income::text FROM agg_weekly_income w ORDER BY w.income DESC',
    );
    expect(weekly.rows).toEqual([
      { user_id: U, income: '27021597764222973' },
      { user_id: U2, income: '27021597764222972' },
      { user_id: U3, income: '5' },
    ]);
  });
});
