import { Partitioners } from 'kafkajs';
import { validateEvent } from '@fan/events';
import { createEncoder, createRegistry, registerSchemas } from '@fan/event-codec';
import { createTestPipeline, readTopic, stackEnv, uniqueName, waitFor, type TestPipeline } from '@fan/test-support';
import { replayDeadLetters } from '../src/replay';

describe('dead-letter replay', () => {
  let p: TestPipeline;
  beforeAll(async () => {
    p = await createTestPipeline('replay');
  });
  afterAll(async () => p.stop());

  it('sends each dead letter back to its origin once, with its original bytes, and a fixed record is then stored', async () => {
    const url = stackEnv().SCHEMA_REGISTRY_URL;
    const encode = createEncoder(createRegistry(url), await registerSchemas(url));
    const v = validateEvent({
      event_id: 'was-poison',
      event_type: 'crystal.change',
      user_id: '1',
      star_id: '2',
      occurred_at: Date.now(),
      properties: { amount: 3, balance_after: 3, reason: 'r' },
    });
    if (!v.ok) throw new Error(v.reason);
    const good = await encode(v.event);
    // What consumers would have written while a bug made them reject this good record: the same
    // origin dead-lettered by two consumers, plus one record that is still poison.
    const dlq = (value: Buffer, reason: string, offset: string, group: string) => ({
      key: '2:1',
      value,
      headers: {
        'dlq.reason': reason,
        'dlq.origin.topic': p.topics.topics.events,
        'dlq.origin.partition': '0',
        'dlq.origin.offset': offset,
        'dlq.consumer.group': group,
        'trace-id': 'abc',
      },
    });
    const producer = p.topics.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: p.topics.topics.deadLetter,
      acks: -1,
      messages: [
        dlq(good, 'unknown schema id 7', '41', 'raw'),
        dlq(good, 'unknown schema id 7', '41', 'income'),
        dlq(Buffer.from('junk'), 'magic byte is 106, expected 0', '42', 'raw'),
      ],
    });
    await producer.disconnect();

    const dry = await replayDeadLetters(p.topics.kafka, {
      deadLetterTopic: p.topics.topics.deadLetter,
      groupId: uniqueName('dry'),
      dryRun: true,
      reasonPrefix: 'unknown schema id',
    });
    expect(dry).toEqual({ replayed: 1, skipped: 1, duplicates: 1, byReason: { 'unknown schema id 7': 1 } });

    const sink = p.start('raw-sink');
    const group = uniqueName('replay');
    const r = await replayDeadLetters(p.topics.kafka, {
      deadLetterTopic: p.topics.topics.deadLetter,
      groupId: group,
      dryRun: false,
      reasonPrefix: 'unknown schema id',
    });
    expect(r).toEqual(dry);
    const back = await readTopic(p.topics.kafka, p.topics.topics.events, 1);
    expect(back.map((m) => [m.value!.equals(good), m.headers])).toEqual([[true, { 'trace-id': 'abc' }]]);
    await waitFor(
      'replayed record stored',
      async () => (await p.db.pool.query("SELECT 1 FROM raw_events WHERE event_id = 'was-poison'")).rowCount === 1,
    );

    // A dry run after the replay counts from where it stopped (as `npm run dlq:replay -- --dry-run`
    // does): nothing would go back, not the whole retained topic again.
    expect(
      await replayDeadLetters(p.topics.kafka, {
        deadLetterTopic: p.topics.topics.deadLetter,
        groupId: uniqueName('dry-after'),
        startFromGroup: group,
        dryRun: true,
      }),
    ).toEqual({ replayed: 0, skipped: 0, duplicates: 0, byReason: {} });
    // A second run continues after the first: nothing left to replay.
    expect(await replayDeadLetters(p.topics.kafka, { deadLetterTopic: p.topics.topics.deadLetter, groupId: group, dryRun: false })).toEqual(
      { replayed: 0, skipped: 0, duplicates: 0, byReason: {} },
    );
    void sink;
  });
});
