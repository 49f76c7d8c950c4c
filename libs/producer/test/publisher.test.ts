import { validateEvent, type DashboardEvent } from '@fan/events';
import { createDecoder, createRegistry } from '@fan/event-codec';
import { createTestTopics, readTopic, stackEnv, type TestTopics } from '@fan/test-support';
import { createPublisher, PublishTimeoutError, type Publisher } from '../src';

const { SCHEMA_REGISTRY_URL } = stackEnv();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const murmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer) => number;

const change = (id: string, user = '1001'): DashboardEvent => {
  const v = validateEvent({
    event_id: id,
    event_type: 'crystal.change',
    user_id: user,
    star_id: '7',
    occurred_at: 1_700_000_000_000,
    properties: { amount: 1, balance_after: 1, reason: 'r' },
  });
  if (!v.ok) throw new Error(v.reason);
  return v.event;
};

describe('publisher on a real broker and registry', () => {
  let t: TestTopics;
  let publisher: Publisher;
  beforeAll(async () => {
    t = await createTestTopics(3);
    publisher = await createPublisher({
      kafka: t.kafka,
      registry: createRegistry(SCHEMA_REGISTRY_URL),
      registryUrl: SCHEMA_REGISTRY_URL,
      topic: t.topics.events,
    });
  });
  afterAll(async () => {
    await publisher.close();
    await t.cleanup();
  });

  it('gathers concurrent calls into shared requests, keeps each key in call order, and resolves each call after its own events', async () => {
    // 30 callers at once, same user (one partition): what Kafka holds must be call 0's events, then call 1's, …
    const calls = Array.from({ length: 30 }, (_, c) => Array.from({ length: 40 }, (_, i) => change(`g-${c}-${i}`)));
    const settled: number[] = [];
    await Promise.all(calls.map((events, c) => publisher.publish(events).then(() => settled.push(c))));
    expect(settled).toHaveLength(30);

    const decode = createDecoder(createRegistry(SCHEMA_REGISTRY_URL));
    const records = await readTopic(t.kafka, t.topics.events, 1200);
    expect(records).toHaveLength(1200);
    expect(new Set(records.map((r) => r.partition)).size).toBe(1);
    const ids: string[] = [];
    for (const r of records.sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)))) ids.push((await decode(r.value)).event_id);
    expect(ids).toEqual(calls.flat().map((e) => e.event_id));
  });

  it("through the patched kafkajs produce path: 6,000 events of 60 keys from 20 overlapping calls, each once, in call order per key, on Java's partition for the key", async () => {
    const users = Array.from({ length: 60 }, (_, u) => String(9_007_199_254_740_993n + BigInt(u * 7919))); // beyond 2^53
    const calls = Array.from({ length: 20 }, (_, c) =>
      Array.from({ length: 300 }, (_, i) => change(`m-${c}-${i}`, users[(c * 7 + i) % 60]!)),
    );
    await Promise.all(calls.map((events) => publisher.publish(events)));

    const decode = createDecoder(createRegistry(SCHEMA_REGISTRY_URL));
    const records = await readTopic(t.kafka, t.topics.events, 6000 + 1200);
    const mine = [];
    for (const r of records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)))) {
      const e = await decode(r.value);
      if (e.event_id.startsWith('m-')) mine.push({ e, partition: r.partition, key: r.key?.toString() });
    }
    expect(mine).toHaveLength(6000);
    expect(new Set(mine.map((m) => m.e.event_id)).size).toBe(6000);
    const sent = new Map(calls.flat().map((e) => [e.event_id, e]));
    for (const m of mine) {
      expect(m.e).toEqual(sent.get(m.e.event_id));
      expect(m.key).toBe(`7:${m.e.user_id}`);
      // murmur2 as Kafka's Java client computes it (the patched hash), positive, modulo 3 partitions
      expect(m.partition).toBe((murmur2(Buffer.from(m.key!)) & 0x7fffffff) % 3);
    }
    for (const user of users) {
      const stored = mine.filter((m) => m.e.user_id === BigInt(user)).map((m) => m.e.event_id);
      expect(stored).toEqual(
        calls
          .flat()
          .filter((e) => e.user_id === BigInt(user))
          .map((e) => e.event_id),
      );
    }
  });

  it('rejects calls still waiting when it is closed, and publishes nothing after', async () => {
    const other = await createPublisher({
      kafka: t.kafka,
      registry: createRegistry(SCHEMA_REGISTRY_URL),
      registryUrl: SCHEMA_REGISTRY_URL,
      topic: t.topics.events,
    });
    await other.publish([change('c-0')]); // schemas loaded: later calls queue synchronously
    const first = other.publish([change('c-1')]); // in flight
    const waiting = other.publish([change('c-2')]); // queued behind it
    const closing = other.close();
    await expect(waiting).rejects.toThrow('publisher closed before Kafka acknowledged');
    await Promise.allSettled([first]);
    await closing;
    await expect(other.publish([change('c-3')])).rejects.toThrow('publisher closed before Kafka acknowledged');
  });

  it('a call that times out while waiting its turn is withdrawn and never published; the queue is bounded', async () => {
    const t2 = await createTestTopics(1);
    const p2 = await createPublisher({
      kafka: t2.kafka,
      registry: createRegistry(SCHEMA_REGISTRY_URL),
      registryUrl: SCHEMA_REGISTRY_URL,
      topic: t2.topics.events,
      maxWaitingEvents: 3000,
    });
    try {
      await p2.publish([change('warm')]);
      const big = p2.publish(Array.from({ length: 2000 }, (_, i) => change(`big-${i}`))); // in flight
      const late = p2.publish([change('late-1'), change('late-2')], { timeoutMs: 1 }); // waits behind it
      const err = await late.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PublishTimeoutError);
      expect(err).toMatchObject({ sent: false, message: 'not sent within 1 ms (withdrawn, nothing stored)' });
      const blocked = p2.publish(Array.from({ length: 2500 }, (_, i) => change(`q-${i}`)));
      await expect(p2.publish(Array.from({ length: 600 }, (_, i) => change(`over-${i}`)))).rejects.toThrow(
        /^publisher queue full \(2500 events waiting for Kafka\): 600 more would exceed its \d+; publish fewer at a time or wait$/,
      );
      await Promise.all([big, blocked]);
      await p2.publish([change('after')]);
      const ids = (await readTopic(t2.kafka, t2.topics.events, 4502, 20_000)).map((r) => r.value!.subarray(5).toString('latin1'));
      expect(ids).toHaveLength(4502);
      expect(ids.filter((v) => v.includes('late-') || v.includes('over-'))).toEqual([]);
    } finally {
      await p2.close();
      await t2.cleanup();
    }
  });
});
