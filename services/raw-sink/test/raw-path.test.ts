import { Partitioners, type Producer } from 'kafkajs';
import { validateEvent, type DashboardEvent } from '@fan/events';
import { createEncoder, createRegistry, registerSchemas } from '@fan/event-codec';
import { createPublisher, type Publisher } from '@fan/producer';
import {
  createTcpProxy,
  createTestDatabase,
  createTestTopics,
  readTopic,
  stackEnv,
  startService,
  uniqueName,
  waitFor,
  type ServiceProcess,
  type TestDatabase,
  type TestTopics,
} from '@fan/test-support';

const { SCHEMA_REGISTRY_URL } = stackEnv();

function like(id: string, over: Record<string, unknown> = {}): DashboardEvent {
  const v = validateEvent({
    event_id: id,
    event_type: 'asset.like',
    user_id: '1001',
    star_id: '7',
    occurred_at: Date.now(),
    properties: { asset_id: '55', liker_user_id: '42', amount: 3 },
    ...over,
  });
  if (!v.ok) throw new Error(v.reason);
  return v.event;
}

describe('raw sink on real Kafka, registry and Postgres', () => {
  let db: TestDatabase;
  let t: TestTopics;
  let publisher: Publisher;
  let producer: Producer;
  let sink: ServiceProcess;
  let env: Record<string, string>;

  const countLike = async (pattern: string) =>
    (
      await db.pool.query<{ n: number; d: number }>(
        'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM raw_events WHERE event_id LIKE $1',
        [pattern],
      )
    ).rows[0]!;

  beforeAll(async () => {
    db = await createTestDatabase('rawsink');
    t = await createTestTopics(3);
    publisher = await createPublisher({
      kafka: t.kafka,
      registry: createRegistry(SCHEMA_REGISTRY_URL),
      registryUrl: SCHEMA_REGISTRY_URL,
      topic: t.topics.events,
    });
    producer = t.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    env = {
      DATABASE_URL: db.url,
      TOPIC_PREFIX: t.prefix,
      EVENT_PARTITIONS: '3',
      RAW_SINK_GROUP_ID: uniqueName('raw-sink'),
      RAW_SINK_HEALTH_PORT: '0',
      RAW_SINK_BATCH_WAIT_MS: '50',
    };
    sink = startService('raw-sink', env);
  });

  afterAll(async () => {
    const code = await sink.stop('SIGTERM');
    await publisher.close();
    await producer.disconnect();
    await t.cleanup();
    await db.drop();
    // Graceful shutdown: finished, committed and left the group with exit code 0.
    expect(code).toBe(0);
    expect(sink.output()).toContain('"msg":"stopped"');
  });

  it('stores an event published twice with the same event_id once', async () => {
    const e = like('dup-1');
    await publisher.publish([e]);
    await publisher.publish([e, like('dup-2')]);
    await waitFor('both ids stored', async () => (await countLike('dup-%')).d === 2);
    await new Promise((r) => setTimeout(r, 500)); // give a wrong second copy time to show up
    expect(await countLike('dup-%')).toEqual({ n: 2, d: 2 });
  });

  it('round-trips ids above 2^53 exactly', async () => {
    const e = like('ids-1', {
      user_id: '9223372036854775807',
      star_id: '1234567890123456789',
      properties: { asset_id: '9223372036854775807', liker_user_id: '-9223372036854775808', amount: 0 },
    });
    await publisher.publish([e]);
    const row = await waitFor(
      'ids-1 stored',
      async () =>
        (
          await db.pool.query('SELECT user_id::text, star_id::text, asset_id::text, properties FROM raw_events WHERE event_id = $1', [
            'ids-1',
          ])
        ).rows[0],
    );
    expect(row).toEqual({
      user_id: '9223372036854775807',
      star_id: '1234567890123456789',
      asset_id: '9223372036854775807',
      properties: { asset_id: '9223372036854775807', liker_user_id: '-9223372036854775808', amount: 0 },
    });
  });

  it('dead-letters bad bytes, an unknown schema id and an invalid payload with reason and origin; later records on the partition are stored', async () => {
    const ids = await registerSchemas(SCHEMA_REGISTRY_URL);
    const encode = createEncoder(createRegistry(SCHEMA_REGISTRY_URL), ids);
    const invalid = { ...like('dlq-invalid'), properties: { asset_id: 55n, liker_user_id: 42n, amount: -5n } } as DashboardEvent;
    const unknownId = Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 1, 2, 3]);
    const key = '7:1001'; // one key, one partition: the poison sits between good records
    const sent = await producer.send({
      topic: t.topics.events,
      acks: -1,
      messages: [
        { key, value: await encode(like('dlq-good-1')) },
        { key, value: Buffer.from('definitely not avro') },
        { key, value: unknownId },
        { key, value: await encode(invalid) },
        { key, value: await encode(like('dlq-good-2')) },
      ],
    });
    const { partition, baseOffset } = sent[0]!;
    await waitFor('good records stored', async () => (await countLike('dlq-good-%')).d === 2);
    const dead = await readTopic(t.kafka, t.topics.deadLetter, 3);
    expect(dead.map((d) => [d.headers['dlq.origin.topic'], d.headers['dlq.origin.partition'], d.headers['dlq.origin.offset']])).toEqual([
      [t.topics.events, String(partition), String(BigInt(baseOffset!) + 1n)],
      [t.topics.events, String(partition), String(BigInt(baseOffset!) + 2n)],
      [t.topics.events, String(partition), String(BigInt(baseOffset!) + 3n)],
    ]);
    expect(dead.map((d) => d.headers['dlq.reason'])).toEqual([
      'magic byte is 100, expected 0',
      'unknown schema id 2147483632',
      'invalid event: properties.amount must be >= 0',
    ]);
    expect(dead[0]!.value!.toString()).toBe('definitely not avro');
    expect((await countLike('dlq-invalid')).n).toBe(0);
  });

  it('loses nothing and stores nothing twice when killed with SIGKILL mid-batch and restarted', async () => {
    await sink.stop('SIGTERM');
    const total = 30_000;
    const events = Array.from({ length: total }, (_, i) => like(`kill-${i}`, { user_id: String(2000 + (i % 50)) }));
    for (let i = 0; i < total; i += 2000) await publisher.publish(events.slice(i, i + 2000));

    sink = startService('raw-sink', { ...env, RAW_SINK_BATCH_MAX: '500' });
    const before = await waitFor(
      'part of the events stored',
      async () => {
        const { n } = await countLike('kill-%');
        return n >= 3000 ? n : undefined;
      },
      60_000,
      20,
    );
    sink.child.kill('SIGKILL');
    await sink.stop();
    const atKill = (await countLike('kill-%')).n;
    expect(atKill).toBeLessThan(total); // really mid-way

    sink = startService('raw-sink', { ...env, RAW_SINK_BATCH_MAX: '500' });
    await waitFor('all events stored', async () => (await countLike('kill-%')).n >= total, 90_000, 200);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await countLike('kill-%')).toEqual({ n: total, d: total });
    expect(before).toBeGreaterThanOrEqual(3000);
  });

  it('retries while Postgres accepts connections but never answers, and stores every event once when it answers again', async () => {
    const url = new URL(db.url);
    const proxy = await createTcpProxy(url.hostname, Number(url.port || 5432));
    url.port = String(proxy.port);
    await sink.stop('SIGTERM');
    const hung = startService('raw-sink', {
      ...env,
      DATABASE_URL: url.toString(),
      PG_STATEMENT_TIMEOUT_MS: '1000',
      PG_CONNECT_TIMEOUT_MS: '1000',
    });
    try {
      await publisher.publish([like('hang-0')]);
      await waitFor('first stored', async () => (await countLike('hang-%')).n === 1, 30_000, 50);
      proxy.blackHole();
      await publisher.publish(Array.from({ length: 200 }, (_, i) => like(`hang-${i + 1}`)));
      // Each attempt ends within its bound as a transient failure and is retried (before: one COPY
      // waited until the socket died, with nothing in the log).
      await waitFor(
        'a bounded failure retried',
        async () => /"kind":"transient".*"msg":"transient failure, retrying"/.test(hung.output()),
        20_000,
        100,
      );
      expect(hung.child.exitCode).toBeNull();
      expect((await countLike('hang-%')).n).toBe(1);
      await proxy.restore();
      await waitFor('all stored after Postgres answers', async () => (await countLike('hang-%')).n === 201, 60_000, 100);
      await new Promise((r) => setTimeout(r, 500));
      expect(await countLike('hang-%')).toEqual({ n: 201, d: 201 });
    } finally {
      expect(await hung.stop('SIGTERM')).toBe(0);
      await proxy.close();
      sink = startService('raw-sink', env);
      await waitFor('raw sink back', async () => sink.output().includes('started'), 30_000, 50);
    }
  }, 120_000);
});
