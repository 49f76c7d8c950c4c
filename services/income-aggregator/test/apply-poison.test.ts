import { validateEvent, type DashboardEvent } from '@fan/events';
import { DLQ_HEADERS } from '@fan/kafka-runner';
import { createTestPipeline, readTopic, waitFor, type TestPipeline } from '@fan/test-support';

const DAY = Date.parse('2026-11-20T12:00:00+08:00');

function crystal(id: string, user: string, amount: bigint, at = DAY, star = '7'): DashboardEvent {
  const v = validateEvent({
    event_id: id,
    event_type: 'crystal.change',
    user_id: user,
    star_id: star,
    occurred_at: at,
    properties: { amount: 1, balance_after: 1, reason: 'gift' },
  });
  if (!v.ok) throw new Error(v.reason);
  // Each amount is within the contract's range; only their sum for one day leaves 64 bits.
  return { ...v.event, properties: { amount, balance_after: amount, reason: 'gift' } } as DashboardEvent;
}

/**
 * Sums are exact numerics since 0010 (issue 22), so no valid record makes Postgres refuse an
 * income any more. What a refusal does is still tested: each test database gets a CHECK of its own
 * (a day's income at most 2^53 - 1, the bound the schema had before 0010), and a record that only
 * Postgres refuses (SQLSTATE 23514) must be isolated by halving its chunk and dead-lettered alone,
 * everything else applied in the same chunks and after them, on the same partition.
 */
const refuseBeyond2p53 = (p: TestPipeline) =>
  p.db.pool.query('ALTER TABLE agg_daily_income ADD CONSTRAINT test_refuses_beyond_2p53 CHECK (income <= 9007199254740991)');
describe('income aggregator: a record Postgres refuses is dead-lettered alone', () => {
  let p: TestPipeline;
  beforeAll(async () => {
    p = await createTestPipeline('applypoison', 1);
    await refuseBeyond2p53(p);
  });
  afterAll(async () => {
    await p.stop();
  });

  it('40 amounts of 2^51 on one day: 3 applied, 37 dead-lettered with 23514; other users and later events applied', async () => {
    const whale = Array.from({ length: 40 }, (_, i) => crystal(`w-${String(i).padStart(4, '0')}`, '501', 2n ** 51n));
    const others = Array.from({ length: 50 }, (_, i) => crystal(`o-${i}`, String(600 + (i % 5)), 10n));
    await p.publisher.publish([...whale.slice(0, 20), ...others.slice(0, 25), ...whale.slice(20), ...others.slice(25)]);
    const agg = p.start('income-aggregator', { INCOME_AGG_BATCH_MAX: '2000', CONSUMER_RETRY_IN_BATCH_MS: '2000' });

    const dead = await readTopic(p.topics.kafka, p.topics.topics.deadLetter, 37, 90_000);
    expect(dead).toHaveLength(37);
    for (const d of dead)
      expect(d.headers[DLQ_HEADERS.reason]).toMatch(
        /^apply refused \(23514\): new row for relation "agg_daily_income" violates check constraint "test_refuses_beyond_2p53"/,
      );
    const deadIds = new Set(dead.map((d) => d.headers[DLQ_HEADERS.offset]));
    expect(deadIds.size).toBe(37);

    // The partition moves on: a later event on the same key is applied.
    await p.publisher.publish([crystal('after-1', '501', -5n, DAY + 60_000), crystal('after-2', '600', 7n, DAY + 60_000)]);
    const rows = await waitFor(
      'later events applied',
      async () => {
        const r = await p.db.pool.query<{ user_id: string; income: string }>(
          'SELECT user_id::text, income::text FROM agg_daily_income ORDER BY user_id',
        );
        const n = await p.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM agg_applied_events WHERE event_id LIKE 'after-%'");
        return n.rows[0]!.n === 2 ? r.rows : undefined;
      },
      60_000,
      250,
    );
    expect(rows).toEqual([
      { user_id: '501', income: (3n * 2n ** 51n).toString() },
      { user_id: '600', income: '107' },
      { user_id: '601', income: '100' },
      { user_id: '602', income: '100' },
      { user_id: '603', income: '100' },
      { user_id: '604', income: '100' },
    ]);
    expect(agg.child.exitCode).toBeNull();
  });
});

/**
 * The same refusal while the chunks of several partitions are applied in one transaction
 * (gathered, libs/kafka-runner/src/gather.ts): the failed transaction is done again one partition
 * at a time, so the other partitions' chunks are applied whole and only the overflowing records of
 * the refused one are dead-lettered.
 */
describe('income aggregator: a refused record among gathered partitions', () => {
  let p: TestPipeline;
  beforeAll(async () => {
    p = await createTestPipeline('applypoisongather', 6);
    await refuseBeyond2p53(p);
  });
  afterAll(async () => {
    await p.stop();
  });

  it('whale on one partition, 60 events of 12 other stars beside it: 37 dead letters, every other sum exact', async () => {
    const whale = Array.from({ length: 40 }, (_, i) => crystal(`w-${String(i).padStart(4, '0')}`, '501', 2n ** 51n));
    const others = Array.from({ length: 60 }, (_, i) =>
      crystal(`o-${i}`, String(600 + (i % 5)), BigInt(10 + i), DAY, String(100 + (i % 12))),
    );
    await p.publisher.publish([...whale, ...others]);
    const offsets = await p.topics.admin.fetchTopicOffsets(p.topics.topics.events);
    expect(offsets.filter((o) => o.high !== '0').length).toBeGreaterThan(1);

    const agg = p.start('income-aggregator', { CONSUMER_RETRY_IN_BATCH_MS: '2000' });
    const dead = await readTopic(p.topics.kafka, p.topics.topics.deadLetter, 37, 90_000);
    expect(dead).toHaveLength(37);
    for (const d of dead) expect(d.headers[DLQ_HEADERS.reason]).toMatch(/^apply refused \(23514\)/);

    const want = new Map<string, bigint>([['7|501', 3n * 2n ** 51n]]);
    for (const e of others) {
      const k = `${e.star_id}|${e.user_id}`;
      want.set(k, (want.get(k) ?? 0n) + BigInt((e.properties as { amount: bigint }).amount));
    }
    const rows = await waitFor(
      'every other event applied',
      async () => {
        const n = await p.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM agg_applied_events WHERE event_id LIKE 'o-%'");
        if (n.rows[0]!.n !== 60) return undefined;
        const r = await p.db.pool.query<{ k: string; income: string }>(
          "SELECT star_id::text || '|' || user_id::text AS k, income::text FROM agg_daily_income ORDER BY 1",
        );
        return r.rows;
      },
      60_000,
      250,
    );
    expect(new Map(rows.map((r) => [r.k, BigInt(r.income)]))).toEqual(want);
    expect(agg.child.exitCode).toBeNull();
  });
});
