import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestPipeline, waitFor, type TestPipeline } from '@fan/test-support';
import { aggregateSnapshot, startQuery, toEvents } from './harness';
import * as S from './scenario';

const run = promisify(execFile);
const ROOT = join(__dirname, '../../..');

describe('rebuild from raw_events', () => {
  let p: TestPipeline;
  beforeAll(async () => {
    p = await createTestPipeline('rebuild');
  });
  afterAll(async () => p.stop());

  const snapshot = () => aggregateSnapshot(p.db.pool);

  it('gives exactly the aggregates of the incremental path', async () => {
    const events = toEvents([...S.incomeEvents(), ...S.assetEvents()]);
    const unique = new Set(events.map((e) => e.event_id)).size;
    const services = ['raw-sink', 'income-aggregator', 'asset-aggregator'].map((n) => p.start(n));
    for (const e of events) await p.publisher.publish([e]);
    await waitFor('stored and applied', async () => {
      const r = await p.db.pool.query<{ raw: number; applied: number }>(
        'SELECT (SELECT count(*) FROM raw_events)::int AS raw, (SELECT count(*) FROM agg_applied_events)::int AS applied',
      );
      return r.rows[0]!.raw === unique && r.rows[0]!.applied === unique;
    });
    const incremental = await snapshot();
    expect(incremental.agg_assets!.length).toBeGreaterThan(0);
    await Promise.all(services.slice(1).map((s) => s.stop()));

    const env = { ...process.env, ...p.env, LOG_LEVEL: 'warn' };
    // npm run rebuild: every owner the manifest marks rebuildable, in turn.
    await run(process.execPath, ['--import', 'tsx', 'scripts/rebuild.ts'], { cwd: ROOT, env });
    expect(await snapshot()).toEqual(incremental);

    const q = await startQuery(p, S.NOW);
    expect((await q.get('upgrade-progress', S.UB, S.ASSET_STAR)).body.data).toEqual(S.EXPECTED.upgradeProgress);
    expect((await q.get('today-overview', S.U1, S.STAR)).body.data).toEqual(S.EXPECTED.todayOverview[S.U1]);
    await q.close();
  });
});
