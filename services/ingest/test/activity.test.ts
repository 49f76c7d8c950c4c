import pino from 'pino';
import { Registry } from 'prom-client';
import { createDecoder, createRegistry, decodeActivityStep } from '@fan/event-codec';
import { createPublisher, createTracker, type Publisher } from '@fan/producer';
import { createTestTopics, listen, readTopic, stackEnv, type TestTopics } from '@fan/test-support';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIngestApp } from '../src/app';
import { publishFile } from '../src/publish-ndjson';

const { SCHEMA_REGISTRY_URL } = stackEnv();
const TOKEN = 'activity-test-token';
const NOW = Date.now();

/** App activity through the HTTP ingest and the producer library: its own topic, keyed by identity. */
describe('app activity events through the ways in', () => {
  let t: TestTopics;
  let publisher: Publisher;
  let http: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    t = await createTestTopics(3);
    publisher = await createPublisher({
      kafka: t.kafka,
      registry: createRegistry(SCHEMA_REGISTRY_URL),
      registryUrl: SCHEMA_REGISTRY_URL,
      topic: t.topics.events,
      activityTopic: t.topics.activity,
    });
    http = await listen(
      createIngestApp({
        publisher,
        token: TOKEN,
        ackTimeoutMs: 10_000,
        logger: pino({ level: 'silent' }),
        metrics: new Registry(),
        health: {},
      }),
    );
  });
  afterAll(async () => {
    await http.close();
    await publisher.close();
    await t.cleanup();
  });

  it('accepts the three types with the same rules and reasons, and publishes them keyed by identity', async () => {
    const res = await fetch(`${http.base}/v1/events/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        events: [
          {
            event_id: 'act-1',
            event_type: 'app.session_start',
            install_id: 'dev-1',
            occurred_at: NOW - 1000,
            properties: { province: '广东', city: '深圳', os: 'Android' },
          },
          {
            event_id: 'act-2',
            event_type: 'presence.heartbeat',
            install_id: 'dev-1',
            user_id: '1234567890123456789',
            occurred_at: NOW,
            properties: { app_version: '3.2.0' },
          },
          { event_id: 'act-3', event_type: 'app.session_end', install_id: 'dev-2', star_id: '7', occurred_at: NOW },
        ],
      }),
    });
    expect([res.status, await res.json()]).toEqual([
      200,
      { accepted: 2, rejected: 1, errors: [{ index: 2, reason: 'star_id is not a field of app.session_end (app activity is app-wide)' }] },
    ]);

    const tracker = createTracker(publisher, pino({ level: 'silent' }));
    expect(tracker.track({ event_type: 'app.session_end', install_id: 'dev-1', user_id: '1234567890123456789' })).toMatchObject({
      ok: true,
    });
    await tracker.flush();
    // The NDJSON command: same rules, reasons by line number.
    const file = join(mkdtempSync(join(tmpdir(), 'act-')), 'activity.ndjson');
    writeFileSync(
      file,
      [
        JSON.stringify({ event_id: 'nd-1', event_type: 'presence.heartbeat', install_id: 'dev-9', occurred_at: NOW }),
        JSON.stringify({ event_type: 'presence.heartbeat', install_id: '' }),
      ].join('\n'),
    );
    expect(await publishFile(file, tracker)).toEqual({
      accepted: 1,
      rejected: 1,
      errors: [{ line: 2, reason: 'install_id must be a string of 1-64 characters' }],
    });

    const records = await readTopic(t.kafka, t.topics.activity, 4, 20_000);
    const decode = decodeActivityStep(createDecoder(createRegistry(SCHEMA_REGISTRY_URL)));
    const got = await Promise.all(
      records.map(async (r) => ({ key: r.key?.toString(), event: await decode({ value: r.value, offset: r.offset } as never) })),
    );
    expect(got.map((g) => [g.key, g.event.event_type, g.event.user_id])).toEqual(
      expect.arrayContaining([
        ['install:dev-1', 'app.session_start', null],
        ['1234567890123456789', 'presence.heartbeat', 1234567890123456789n],
        ['1234567890123456789', 'app.session_end', 1234567890123456789n],
        ['install:dev-9', 'presence.heartbeat', null],
      ]),
    );
    expect(got.find((g) => g.event.event_id === 'act-1')!.event.properties).toEqual({
      os: 'Android',
      os_version: null,
      app_version: null,
      network_type: null,
      province: '广东',
      city: '深圳',
    });
    // Nothing of it reached the events topic.
    const offsets = await t.admin.fetchTopicOffsets(t.topics.events);
    expect(offsets.reduce((n, o) => n + Number(o.high), 0)).toBe(0);
  });
});
