import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createRegistry } from '@fan/event-codec';
import { createPublisher, createTracker, type Publisher } from '@fan/producer';
import {
  createTestDatabase,
  createTestTopics,
  stackEnv,
  startService,
  uniqueName,
  waitFor,
  type ServiceProcess,
  type TestDatabase,
  type TestTopics,
} from '@fan/test-support';
import { createIngestApp } from '../src/app';
import { publishFile } from '../src/publish-ndjson';

const { SCHEMA_REGISTRY_URL, KAFKA_BROKERS } = stackEnv();
const ROOT = join(__dirname, '../../..');
const TOKEN = 'test-ingest-token';
const NOW = Date.now();

const ev = (id: string, over: Record<string, unknown> = {}) => ({
  event_id: id,
  event_type: 'exhibition.revenue',
  user_id: '1234567890123456789',
  star_id: '7',
  occurred_at: NOW,
  properties: { asset_id: '9007199254740993', amount: 12, duration_ms: 60_000 },
  ...over,
});

describe('ways in: producer library, HTTP ingest and NDJSON file, into the raw sink', () => {
  let db: TestDatabase;
  let t: TestTopics;
  let publisher: Publisher;
  let server: Server;
  let base: string;
  let sink: ServiceProcess;

  const post = (path: string, body: unknown, token: string | null = TOKEN, raw = false) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: raw ? (body as string) : JSON.stringify(body),
    });
  const stored = async (ids: string[]) =>
    (
      await db.pool.query<{ event_id: string; n: number }>(
        'SELECT event_id, count(*)::int AS n FROM raw_events WHERE event_id = ANY($1) GROUP BY 1 ORDER BY 1',
        [ids],
      )
    ).rows;

  const metrics = new Registry();
  beforeAll(async () => {
    db = await createTestDatabase('ingest');
    t = await createTestTopics(3);
    publisher = await createPublisher({
      kafka: t.kafka,
      registry: createRegistry(SCHEMA_REGISTRY_URL),
      registryUrl: SCHEMA_REGISTRY_URL,
      topic: t.topics.events,
    });
    const app = createIngestApp({ publisher, token: TOKEN, ackTimeoutMs: 10_000, logger: pino({ level: 'silent' }), metrics, health: {} });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    sink = startService('raw-sink', {
      DATABASE_URL: db.url,
      TOPIC_PREFIX: t.prefix,
      EVENT_PARTITIONS: '3',
      RAW_SINK_GROUP_ID: uniqueName('raw'),
      RAW_SINK_HEALTH_PORT: '0',
      RAW_SINK_BATCH_WAIT_MS: '50',
    });
  });

  afterAll(async () => {
    await sink.stop();
    server.closeAllConnections();
    server.close();
    await publisher.close();
    await t.cleanup();
    await db.drop();
  });

  it('stores events from all three ways in exactly once each', async () => {
    const tracker = createTracker(publisher, pino({ level: 'silent' }));
    expect(tracker.track(ev('lib-1'))).toEqual({ ok: true, event_id: 'lib-1' });
    const filled = tracker.track({
      event_type: 'crystal.change',
      user_id: '5',
      star_id: '7',
      properties: { amount: 3, balance_after: 3, reason: 'like' },
    });
    expect(filled.ok).toBe(true);
    await tracker.flush();

    const single = await post('/v1/events', ev('http-1'));
    expect([single.status, await single.json()]).toEqual([200, { accepted: 1, rejected: 0, errors: [] }]);
    const batch = await post('/v1/events/batch', { events: [ev('http-2'), ev('http-3', { user_id: 'x' }), ev('http-4')] });
    expect([batch.status, await batch.json()]).toEqual([
      200,
      { accepted: 2, rejected: 1, errors: [{ index: 1, reason: 'user_id must be a decimal 64-bit integer' }] },
    ]);

    const dir = mkdtempSync(join(tmpdir(), 'ndjson-'));
    const file = join(dir, 'events.ndjson');
    const invalidUtf8 = Buffer.from(JSON.stringify(ev('file-X')).replace('file-X', 'file-\u0001'));
    invalidUtf8[invalidUtf8.indexOf(0x01)] = 0xff; // a byte no UTF-8 text holds
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(
          [
            JSON.stringify(ev('file-1')),
            '{not json',
            '',
            JSON.stringify(ev('file-2', { event_type: 'asset.nope' })),
            JSON.stringify(ev('file-3')) + '\r',
            JSON.stringify(ev('file-\ud800')), // JSON.stringify writes the lone surrogate as \ud800
            JSON.stringify(ev('file-\ufffd')), // a real U+FFFD, well-formed: kept
            '',
          ].join('\n'),
        ),
        invalidUtf8,
      ]),
    );
    const r = await publishFile(file, tracker);
    expect(r.accepted).toBe(3);
    expect(r.rejected).toBe(4);
    expect(r.errors.map((e) => [e.line, e.reason])).toEqual([
      [2, expect.stringMatching(/^malformed JSON: /)],
      [4, expect.stringMatching(/^event_type must be one of/)],
      [6, 'event_id must be well-formed Unicode (lone surrogate at index 5)'],
      [8, 'line is not valid UTF-8'],
    ]);
    await tracker.close();

    const ids = ['lib-1', (filled as { event_id: string }).event_id, 'http-1', 'http-2', 'http-4', 'file-1', 'file-3', 'file-\ufffd'];
    await waitFor('all eight stored', async () => (await stored(ids)).length === 8);
    expect((await stored(ids)).every((row) => row.n === 1)).toBe(true);
    const big = await db.pool.query("SELECT user_id::text, properties->>'asset_id' AS asset FROM raw_events WHERE event_id = 'http-1'");
    expect(big.rows).toEqual([{ user_id: '1234567890123456789', asset: '9007199254740993' }]);
  });

  it('the NDJSON command, not on a terminal: plain progress lines on stderr, the same counts, reasons and exit codes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ndjson-cli-'));
    // 30,000 good events (long enough for progress lines every 50 ms), then 1,005 bad lines: only
    // the first 1,000 reasons are listed, rejected counts all of them.
    const good = Array.from({ length: 30_000 }, (_, i) => JSON.stringify(ev(`cli-${i}`)));
    const bad = Array.from({ length: 1005 }, (_, i) => (i % 2 ? '{not json' : JSON.stringify(ev(`cli-bad-${i}`, { user_id: 'x' }))));
    const file = join(dir, 'big.ndjson');
    writeFileSync(file, [...good, '', ...bad].join('\n'));
    const small = join(dir, 'small.ndjson');
    writeFileSync(small, `${JSON.stringify(ev('cli-small'))}\n`);
    const cli = (path: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const env = {
          ...process.env,
          KAFKA_BROKERS,
          SCHEMA_REGISTRY_URL,
          TOPIC_PREFIX: t.prefix,
          PROGRESS_INTERVAL_MS: '50',
          LOG_LEVEL: 'warn',
        };
        execFile(
          process.execPath,
          ['--import', 'tsx', 'services/ingest/src/publish-ndjson.ts', path],
          { cwd: ROOT, env },
          (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
        );
      });

    const r = await cli(file);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n').pop()).toBe('{"accepted":30000,"rejected":1005}');
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr).not.toContain('\x1b');
    const lines = r.stderr.trim().split('\n');
    const reasons = lines.filter((l) => l.startsWith('line '));
    expect(reasons).toHaveLength(1000);
    expect(reasons[0]).toBe('line 30002: user_id must be a decimal 64-bit integer');
    expect(reasons[1]).toMatch(/^line 30003: malformed JSON: /);
    expect(reasons[999]).toMatch(/^line 31001: malformed JSON: /);
    expect(lines[lines.length - 1]).toBe('… and 5 more rejected lines (only the first 1000 are listed)');
    const progress = lines.filter((l) => l.startsWith('published '));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (const l of progress.slice(0, -1))
      expect(l).toMatch(/^published [\d,]+ \(\d+\.\d% of [\d.]+ MB\)( · [\d,]+ rejected)? · [\d,]+ ev\/s · ETA (--|\d+s)$/);
    expect(progress[progress.length - 1]).toMatch(/^published 30,000 \(100\.0% of [\d.]+ MB\) · 1,005 rejected · in \d+s · [\d,]+ ev\/s$/);

    const ok = await cli(small);
    expect([ok.code, ok.stdout.trim().split('\n').pop()]).toEqual([0, '{"accepted":1,"rejected":0}']);
    // A periodic line may come first when Kafka's acknowledgement takes longer than the 50 ms
    // interval (a loaded CI run: "published 0 (100.0% of 210 B) · 0 ev/s · ETA 0s"); the last line
    // is always the final one.
    const smallLines = ok.stderr.trim().split('\n');
    for (const l of smallLines.slice(0, -1)) expect(l).toMatch(/^published [01] \(\d+\.\d% of \d+ B\) · [\d,]+ ev\/s · ETA (--|\d+s)$/);
    expect(smallLines[smallLines.length - 1]).toMatch(/^published 1 \(100\.0% of \d+ B\) · in \d+s · [\d,]+ ev\/s$/);

    // Kafka took every accepted event.
    await waitFor(
      'all of the file stored',
      async () =>
        (await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM raw_events WHERE event_id LIKE 'cli-%'")).rows[0]!.n === 30_001,
      60_000,
    );
  });

  it('answers 401 without the service token or with a wrong one', async () => {
    for (const token of [null, 'wrong']) {
      const res = await post('/v1/events', ev('auth-1'), token);
      expect([res.status, await res.json()]).toEqual([401, { code: 401, message: 'missing or invalid service token' }]);
    }
  });

  it.each([
    ['type', { event_type: 'asset.hug' }, /^event_type must be one of/],
    ['event_id', { event_id: '' }, /^event_id must be a string of 1-64 characters$/],
    ['user_id', { user_id: '12345678901234567890' }, /^user_id is outside the signed 64-bit range$/],
    // eslint-disable-next-line no-loss-of-precision -- the point: JSON.parse rounds such a number
    ['star_id', { star_id: 9007199254740993 }, /^star_id must be a decimal string/],
    ['occurred_at', { occurred_at: 'yesterday' }, /^occurred_at must be epoch milliseconds or ISO-8601/],
    ['future', { occurred_at: NOW + 25 * 3600_000 }, /^occurred_at is more than 24 hours in the future$/],
    ['missing payload', { properties: { asset_id: '1', amount: 1 } }, /^properties.duration_ms is required$/],
    ['payload type', { properties: { asset_id: '1', amount: 'ten', duration_ms: 1 } }, /^properties.amount must be an integer number$/],
    ['negative amount', { properties: { asset_id: '1', amount: -1, duration_ms: 1 } }, /^properties.amount must be >= 0$/],
    [
      'properties size',
      { event_type: 'crystal.change', properties: { amount: 1, balance_after: 1, reason: 'é'.repeat(600) } },
      /^properties exceed 1024 bytes$/,
    ],
  ])('rejects an invalid %s with 400 and a reason naming the field', async (_n, over, reason) => {
    const res = await post('/v1/events', ev('bad', over));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { accepted: number; rejected: number; errors: Array<{ index: number; reason: string }> };
    expect(body.accepted).toBe(0);
    expect(body.errors[0]!.reason).toMatch(reason);
  });

  it('rejects malformed JSON, bad batch shapes and bodies over the limits', async () => {
    const malformed = await post('/v1/events', '{"event_id":', TOKEN, true);
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { message: string }).message).toMatch(/^malformed JSON/);

    const shape = await post('/v1/events/batch', { items: [] });
    expect([shape.status, await shape.json()]).toEqual([400, { code: 400, message: 'body must be {"events":[...]}' }]);

    const tooMany = await post('/v1/events/batch', { events: Array.from({ length: 501 }, (_, i) => ev(`m-${i}`)) });
    expect([tooMany.status, await tooMany.json()]).toEqual([400, { code: 400, message: 'events: at most 500 per batch, got 501' }]);

    const huge = await post('/v1/events/batch', { events: [ev('h', { pad: 'x'.repeat(1024 * 1024) })] });
    expect([huge.status, await huge.json()]).toEqual([413, { code: 413, message: 'body exceeds 1mb' }]);
  });

  it('answers other spellings of the routes through express the same way, and takes gzip bodies', async () => {
    for (const path of ['/v1/events/batch?source=x', '/v1/events/batch/', '/V1/Events/Batch']) {
      const r = await post(path, { events: [] });
      expect([path, r.status, await r.json()]).toEqual([path, 400, { code: 400, message: 'events must not be empty' }]);
    }
    expect((await post('/v1/events/batch/', { events: [] }, null)).status).toBe(401);
    const gz = await fetch(`${base}/v1/events/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${TOKEN}` },
      body: gzipSync(JSON.stringify({ events: [ev('gz-1'), { event_id: 'gz-2' }] })),
    });
    const answer = (await gz.json()) as { accepted: number; rejected: number; errors: Array<{ index: number }> };
    expect([gz.status, answer.accepted, answer.rejected, answer.errors[0]?.index]).toEqual([200, 1, 1, 1]);
    await waitFor('gzip event stored', async () => (await stored(['gz-1'])).length === 1);
    const charset = await fetch(`${base}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=iso-8859-1', authorization: `Bearer ${TOKEN}` },
      body: '{}',
    });
    expect([charset.status, await charset.json()]).toEqual([415, { code: 415, message: 'unsupported charset "ISO-8859-1"' }]);
    const text = await metrics.getSingleMetricAsString('ingest_request_seconds');
    expect(text).toMatch(/ingest_request_seconds_count\{route="\/v1\/events\/batch",status="200"\} [1-9]/);
  });

  it('labels request metrics by route: made-up paths share one series', async () => {
    for (let i = 0; i < 5; i++) expect((await post(`/probe-${i}/x`, {}, undefined)).status).toBe(404);
    const text = await metrics.getSingleMetricAsString('ingest_request_seconds');
    expect(text).not.toMatch(/probe-/);
    expect(text).toMatch(/ingest_request_seconds_count\{route="unmatched",status="404"\} 5/);
  });
});
