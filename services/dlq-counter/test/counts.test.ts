import { createTestTopics, freePort, startService, uniqueName, waitFor, type TestTopics } from '@fan/test-support';

/** The dead-letter counter on the real broker: what lands on the dead-letter topic, counted by origin and reason. */
describe('dlq-counter', () => {
  let t: TestTopics;
  beforeAll(async () => {
    t = await createTestTopics(3);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('counts every dead letter once, by origin topic and reason class, headers or not', async () => {
    const group = uniqueName('dlqc');
    const port = await freePort();
    const producer = t.kafka.producer();
    await producer.connect();
    const letter = (reason: string | undefined, origin: string, i: number) => ({
      key: `k${i}`,
      value: Buffer.from([0, 1, 2, i]),
      headers: reason === undefined ? {} : { 'dlq.reason': reason, 'dlq.origin.topic': origin },
    });
    await producer.send({
      topic: t.topics.deadLetter,
      messages: [
        ...Array.from({ length: 7 }, (_, i) => letter(`invalid event: star_id must be positive (${i})`, t.topics.events, i)),
        ...Array.from({ length: 3 }, (_, i) => letter('apply refused (22003): bigint out of range', t.topics.events, i)),
        ...Array.from({ length: 2 }, (_, i) => letter('not valid Avro for schema id 9: truncated buffer', t.topics.activity, i)),
        letter(undefined, '', 0),
      ],
    });
    await producer.disconnect();
    const counter = startService('dlq-counter', {
      TOPIC_PREFIX: t.prefix,
      DLQ_COUNTER_GROUP_ID: group,
      DLQ_COUNTER_HEALTH_PORT: String(port),
      DLQ_COUNTER_FROM_BEGINNING: 'true',
    });
    try {
      const expected = {
        [`${t.topics.events} invalid event`]: 7,
        [`${t.topics.events} apply refused (22003)`]: 3,
        [`${t.topics.activity} not valid Avro for schema id 9`]: 2,
        'unknown unknown': 1,
      };
      const counts = await waitFor(
        'all 13 counted',
        async () => {
          const body = (await (await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined))?.text()) ?? '';
          const found = Object.fromEntries(
            body
              .split('\n')
              .filter((l) => l.startsWith('pipeline_dead_letters_total{'))
              .map((l) => {
                const m = /origin="([^"]*)",reason="([^"]*)"[^}]*\} (\d+)/.exec(l)!;
                return [`${m[1]} ${m[2]}`, Number(m[3])];
              }),
          );
          return Object.values(found).reduce((a, b) => a + b, 0) >= 13 ? found : undefined;
        },
        30_000,
        250,
      );
      expect(counts).toEqual(expected);
      // Committed to the end: a restart does not count them again.
      await waitFor(
        'offsets committed',
        async () => {
          const [c] = await t.admin.fetchOffsets({ groupId: group, topics: [t.topics.deadLetter] });
          const ends = await t.admin.fetchTopicOffsets(t.topics.deadLetter);
          return ends.every((e) => c!.partitions.find((p) => p.partition === e.partition)?.offset === e.high || e.high === '0');
        },
        15_000,
        250,
      );
      expect(await counter.stop()).toBe(0);
    } finally {
      await counter.stop();
      await t.admin.deleteGroups([group]).catch(() => undefined);
    }
  });
});
