import { Partitioners, type Producer } from 'kafkajs';
import { cacheKeys } from '@fan/read-contract';
import { DLQ_HEADERS } from '@fan/kafka-runner';
import { createTestPipeline, readTopic, waitFor, type TestPipeline } from '@fan/test-support';

/** The invalidator process on real Kafka, Redis and Postgres: change records in, generations bumped. */
describe('cache invalidator', () => {
  let p: TestPipeline;
  let producer: Producer;
  beforeAll(async () => {
    p = await createTestPipeline('inval', 3);
    producer = p.topics.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await p.stop();
  });

  it('bumps exactly the changed reads, rank neighbours and star-weeks; dead-letters a malformed record', async () => {
    const keys = cacheKeys(p.cachePrefix);
    // Two other users of star 7 this week: 150 lies in the mover's [100, 200), 250 does not.
    await p.db.pool.query(
      `INSERT INTO agg_weekly_income (star_id, week, user_id, income) VALUES (7, '2026-11-23', 1001, 150), (7, '2026-11-23', 1002, 250), (7, '2026-11-23', 1000, 200)`,
    );
    p.start('cache-invalidator');
    const send = (value: string) => producer.send({ topic: p.topics.topics.changes, acks: -1, messages: [{ key: '7', value }] });
    await send(
      '{"star_id":"7","user_id":"1000","reads":["today-overview","income-curve"],"rank":[{"week":"2026-11-23","old":"100","new":"200"}],"star_weeks":["2026-11-23"]}',
    );
    await send('not json');
    await send('{"star_id":"7","user_id":"1003","reads":["top-assets"]}');

    const expected = [
      keys.userGen('today-overview', '7', '1000'),
      keys.userGen('income-curve', '7', '1000'),
      keys.userGen('today-overview', '7', '1001'),
      keys.starWeekGen('7', '2026-11-23'),
      keys.userGen('top-assets', '7', '1003'),
    ];
    const gens = await waitFor(
      'generations bumped',
      async () => {
        const v = await p.redis.mget(...expected);
        return v.every((x) => x !== null) ? v.map(Number) : undefined;
      },
      30_000,
      100,
    );
    for (const g of gens) expect(g).toBeGreaterThan(Date.now() - 60_000);
    // Not changed: another read of the mover, and the neighbour outside [old, new).
    expect(await p.redis.mget(keys.userGen('top-assets', '7', '1000'), keys.userGen('today-overview', '7', '1002'))).toEqual([null, null]);

    const dead = await readTopic(p.topics.kafka, p.topics.topics.deadLetter, 1, 20_000);
    expect(dead.map((d) => d.headers[DLQ_HEADERS.reason])).toEqual([expect.stringMatching(/^change is not JSON: /)]);
  });
});
