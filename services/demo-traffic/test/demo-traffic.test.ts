import jwt from 'jsonwebtoken';
import { createTestPipeline, waitFor, type TestPipeline } from '@fan/test-support';

/** The demo process against a private pipeline: a backfill plus a live stream the raw sink stores. */
describe('demo traffic', () => {
  let p: TestPipeline;
  beforeAll(async () => {
    p = await createTestPipeline('demo', 3);
  });
  afterAll(async () => {
    await p.stop();
  });

  it('publishes a consistent backfill and live events, and prints a token for the demo user', async () => {
    p.start('raw-sink', { RAW_SINK_BATCH_WAIT_MS: '50' });
    const demo = p.start('demo-traffic', {
      DEMO_STAR_ID: '77',
      DEMO_USERS: '5',
      DEMO_EVENTS_PER_SEC: '50',
      DEMO_BACKFILL_DAYS: '1',
      JWT_SECRET: 'demo-test-secret',
    });
    const token = await waitFor('the printed token', async () => /export TOKEN=(\S+)/.exec(demo.output())?.[1], 60_000, 100);
    const claims = jwt.verify(token, 'demo-test-secret') as jwt.JwtPayload;
    expect(claims.sub).toMatch(/^\d{19}$/);
    expect(claims.exp! - claims.iat!).toBe(86_400);
    expect(demo.output()).toContain(
      'curl -s -H "Authorization: Bearer $TOKEN" \'http://127.0.0.1:8080/api/v1/dashboard/upgrade-progress?star_id=77\'',
    );

    // 300 backfill events for the past day, then live ones (at least a second of them).
    const counts = await waitFor(
      'backfill and live events stored',
      async () => {
        const r = await p.db.pool.query<{ past: number; live: number; types: number; stars: string[] }>(
          `SELECT count(*) FILTER (WHERE occurred_at < now() - interval '1 hour')::int AS past,
                count(*) FILTER (WHERE occurred_at >= now() - interval '1 hour')::int AS live,
                count(DISTINCT event_type)::int AS types, array_agg(DISTINCT star_id::text) AS stars
         FROM raw_events`,
        );
        const row = r.rows[0]!;
        return row.past >= 300 && row.live >= 50 ? row : undefined;
      },
      60_000,
      250,
    );
    expect(counts.stars).toEqual(['77']);
    expect(counts.types).toBeGreaterThanOrEqual(5);
    expect(await demo.stop('SIGTERM')).toBe(0);
  });
});
