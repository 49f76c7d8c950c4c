import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { rebuildOwners } from '@fan/config';
import { READS } from '@fan/read-contract';
import { createTestPipeline, waitFor, type TestPipeline } from '@fan/test-support';
import { maintainPartitions } from '../../services/raw-sink/src/partitions';
import { aggregateSnapshot, startQuery, toEvents } from '../../services/query-api/test/harness';
import * as S from '../../services/query-api/test/scenario';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');
const TZ = 'Asia/Shanghai';
const PAIRS: Array<[string, string]> = [
  [S.U1, S.STAR],
  [S.U2, S.STAR],
  [S.U3, S.STAR],
  [S.U1, S.OTHER_STAR],
  [S.UB, S.ASSET_STAR],
];

/**
 * Issue 25: a rebuild after raw retention has dropped day partitions reproduces every answer. The
 * raw sink's maintenance runs with a pinned clock moved across the scenario's days and a one-day
 * retention, so nearly every event leaves raw_events; the aggregators fold what expired.
 */
describe('rebuild keeps history past raw retention', () => {
  let p: TestPipeline;
  beforeAll(async () => {
    p = await createTestPipeline('history');
  });
  afterAll(async () => p.stop());

  const snapshot = () => aggregateSnapshot(p.db.pool);
  const answers = async () => {
    const q = await startQuery(p, S.NOW);
    const out: Record<string, unknown> = {};
    for (const [user, star] of PAIRS) for (const read of READS) out[`${read} ${user}/${star}`] = (await q.get(read, user, star)).body;
    await q.close();
    return out;
  };
  const count = async (sql: string) => (await p.db.pool.query<{ n: number }>(`SELECT (${sql})::int AS n`)).rows[0]!.n;
  const maintainOn = (day: string) =>
    maintainPartitions(p.db.pool, {
      tz: TZ,
      daysAhead: 3,
      retentionDays: 1,
      folders: rebuildOwners(),
      now: Date.parse(`${day}T09:00:00+08:00`),
    });
  const aggregators = () => ['income-aggregator', 'asset-aggregator'].map((n) => p.start(n));

  it('reproduces every table and every read of the pairs exactly, from history and what raw_events still holds', async () => {
    const events = toEvents([...S.incomeEvents(), ...S.assetEvents()]);
    const unique = new Set(events.map((e) => e.event_id)).size;
    const sink = p.start('raw-sink');
    let running = aggregators();
    for (const e of events) await p.publisher.publish([e]);
    await waitFor(
      'stored and applied',
      async () =>
        (await count('SELECT count(*) FROM raw_events')) === unique && (await count('SELECT count(*) FROM agg_applied_events')) === unique,
    );
    const incremental = await snapshot();
    const before = await answers();
    expect(Object.keys(before)).toHaveLength(PAIRS.length * READS.length);
    expect(Object.entries(before).filter(([, b]) => (b as { code: number }).code !== 200)).toEqual([]);

    // Days go by with the aggregators stopped: partitions are created, expire, and wait.
    await Promise.all(running.map((s) => s.stop()));
    const expired: string[] = [];
    for (const day of ['2026-11-12', '2026-11-18', '2026-11-21', '2026-11-24']) {
      const r = await maintainOn(day);
      expect(r.dropped).toEqual([]);
      expired.push(...r.expired);
    }
    expect(expired.length).toBeGreaterThanOrEqual(10);
    expect(await count(`SELECT count(*) FROM raw_events`)).toBeLessThan(unique);

    // An aggregator folds every expired table when it starts (then hourly); the sink then drops them.
    running = aggregators();
    await waitFor('folded by both', async () => (await count('SELECT count(*) FROM raw_folds')) === 2 * expired.length);
    const drop = await maintainOn('2026-11-24');
    expect(drop.dropped.sort()).toEqual([...expired].sort());
    expect(await count(`SELECT count(*) FROM pg_tables WHERE schemaname = 'raw_expired'`)).toBe(0);
    await Promise.all(running.map((s) => s.stop()));

    // One more day, aggregators stopped: the rebuild folds this one itself.
    const last = await maintainOn('2026-11-26');
    expect(last.expired.length).toBeGreaterThan(0);
    const left = await count('SELECT count(*) FROM raw_events');
    expect(left).toBeLessThan(unique / 2);

    const env = { ...process.env, ...p.env, LOG_LEVEL: 'warn' };
    await run(process.execPath, ['--import', 'tsx', 'scripts/rebuild.ts'], { cwd: ROOT, env });
    expect(await snapshot()).toEqual(incremental);
    expect(await answers()).toEqual(before);
    // Rebuilt again, nothing new expired: the same (history is not folded twice).
    await run(process.execPath, ['--import', 'tsx', 'scripts/rebuild.ts'], { cwd: ROOT, env });
    expect(await snapshot()).toEqual(incremental);
    await sink.stop();
  });
});
