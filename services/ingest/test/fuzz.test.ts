import fc from 'fast-check';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { AnyEvent } from '@fan/events';
import { createRegistry } from '@fan/event-codec';
import { createPublisher, type Publisher } from '@fan/producer';
import { createTestTopics, listen, stackEnv, type TestTopics } from '@fan/test-support';
import { createIngestApp } from '../src/app';

const TOKEN = 'fuzz-token';
const TYPES = ['asset.like', 'asset.mint', 'exhibition.start', 'exhibition.end', 'exhibition.revenue', 'asset.level_up', 'crystal.change'];

/** Hostile values: wrong types, ids outside 64 bits, fractions, SQL, unicode, deep nesting. */
const nasty = fc.oneof(
  fc.constantFrom(
    '9223372036854775808',
    '-9223372036854775809',
    '1e3',
    '0x10',
    '1; DROP TABLE raw_events; --',
    "' OR 1=1 --",
    '💥',
    '\u0000',
    '',
    ' 7',
    '007',
  ),
  fc.double(),
  fc.integer(),
  // eslint-disable-next-line no-loss-of-precision -- deliberately an id JSON cannot carry exactly
  fc.constantFrom(-1, 1.5, -0.5, Number.MAX_SAFE_INTEGER + 2, 9007199254740993),
  fc.boolean(),
  fc.constant(null),
  fc.string(),
  fc.fullUnicodeString({ maxLength: 40 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
  fc.constant(
    Array.from({ length: 1 }, function deep() {
      let o: unknown = 1;
      for (let i = 0; i < 200; i++) o = { o };
      return o;
    })[0],
  ),
);

const fuzzEvent = fc.record(
  {
    event_id: fc.oneof(fc.string({ maxLength: 70 }), nasty),
    event_type: fc.oneof(fc.constantFrom(...TYPES), nasty),
    user_id: fc.oneof(fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String), nasty),
    star_id: fc.oneof(fc.bigInt({ min: 1n, max: 2n ** 63n }).map(String), nasty),
    occurred_at: fc.oneof(
      fc.integer({ min: 0, max: Date.now() + 2 * 86_400_000 }),
      fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
      nasty,
    ),
    properties: fc.oneof(
      fc.record(
        {
          asset_id: fc.oneof(fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String), nasty),
          amount: nasty,
          liker_user_id: nasty,
          duration_ms: nasty,
          slot_id: nasty,
          level: nasty,
          reason: nasty,
        },
        { requiredKeys: [] },
      ),
      nasty,
    ),
  },
  { requiredKeys: [] },
);

describe('ingest under hostile input (property-based, real Kafka behind)', () => {
  let t: TestTopics;
  let real: Publisher;
  let failNext = false;
  const taken: AnyEvent[] = [];
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    t = await createTestTopics(1);
    real = await createPublisher({
      kafka: t.kafka,
      registry: createRegistry(stackEnv().SCHEMA_REGISTRY_URL),
      registryUrl: stackEnv().SCHEMA_REGISTRY_URL,
      topic: t.topics.events,
    });
    // Kafka itself, with a switch to make it refuse: an answer must never acknowledge what it refused.
    const publisher: Publisher = {
      publish: async (events) => {
        if (failNext && events.length > 0) throw new Error('broker refused');
        await real.publish(events);
        taken.push(...events);
      },
      close: async () => undefined,
    };
    const app = createIngestApp({
      publisher,
      token: TOKEN,
      ackTimeoutMs: 5000,
      logger: pino({ level: 'silent' }),
      metrics: new Registry(),
      health: {},
    });
    ({ base, close } = await listen(app));
  });
  afterAll(async () => {
    await close();
    await real.close();
    await t.cleanup();
  });

  const post = async (path: string, body: string, token = TOKEN) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('answers every batch with 200/400/413 (or 503 when Kafka refused), a reason per rejected event, and acknowledges only what Kafka took', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fuzzEvent, nasty), { maxLength: 20 }), fc.boolean(), async (events, refuse) => {
        failNext = refuse;
        const before = taken.length;
        const r = await post('/v1/events/batch', JSON.stringify({ events }));
        const acked = taken.length - before;
        if (r.status === 503) {
          expect(r.body.accepted).toBe(0);
          expect(acked).toBe(0);
          return;
        }
        expect([200, 400]).toContain(r.status);
        if (r.status === 400) {
          expect(typeof r.body.message).toBe('string');
          return;
        }
        const errors = r.body.errors as Array<{ index: number; reason: string }>;
        expect(r.body.accepted).toBe(acked);
        expect((r.body.accepted as number) + (r.body.rejected as number)).toBe(events.length);
        for (const e of errors) expect(e.reason).toMatch(/^(event|event_type|event_id|user_id|star_id|occurred_at|properties)\b/);
      }),
      { numRuns: 150 },
    );
  });

  it('answers malformed bodies, duplicated keys, huge and deeply nested bodies, and bad tokens with a 4xx naming the problem', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.constantFrom(
            '{"events":[',
            '{"events":[{"event_id":"a","event_id":"b"}]}',
            '[]',
            'null',
            '{}',
            '{"events":{}}',
            `{"events":${'['.repeat(5000)}${']'.repeat(5000)}}`,
          ),
          fc.constant(JSON.stringify({ events: [{ pad: 'x'.repeat(1_100_000) }] })),
        ),
        fc.constantFrom(TOKEN, '', 'wrong', `${TOKEN} `),
        async (body, token) => {
          failNext = false;
          const r = await post('/v1/events/batch', body, token);
          expect(r.status).toBeGreaterThanOrEqual(200);
          expect(r.status).toBeLessThan(500);
          if (r.status >= 400) expect(String(r.body.message)).toMatch(/token|JSON|body|events/);
        },
      ),
      { numRuns: 120 },
    );
  });
});
