import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_SECRETS, processEntry } from '@fan/config';
import {
  createSmallFilesystem,
  freePort,
  skewedClockEnv,
  startOwnBroker,
  startOwnPostgres,
  startOwnPostgresPair,
  startService,
  waitFor,
} from '@fan/test-support';
import { runScenario, writeReport, type Consumer, type FaultContext, type ScenarioResult } from '../src/scenario';

const ROOT = join(__dirname, '../..');
const RUN_DIR = join(ROOT, '.local/run');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const results: ScenarioResult[] = [];

/** The broker or registry process, when this project's stack scripts started it (else undefined). */
function ownedPid(name: 'kafka' | 'registry'): number | undefined {
  const file = join(RUN_DIR, `${name}.pid`);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}
async function stopProcess(pid: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  await waitFor(
    `pid ${pid} to exit`,
    async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    },
    60_000,
    200,
  );
}
const stackUp = () => execFileSync('bash', [join(ROOT, 'scripts/stack/up.sh')], { stdio: 'ignore' });

async function killAndRestart(ctx: FaultContext, name: Consumer): Promise<void> {
  // Mid-batch: wait until the consumer has work in hand, then SIGKILL.
  await sleep(300);
  ctx.services[name].child.kill('SIGKILL');
  await ctx.services[name].stop();
  await sleep(1000);
  ctx.services[name] = ctx.start(name);
  ctx.restored();
}

function check(r: ScenarioResult, consumersThatDeadLetter = 3): void {
  results.push(r);
  expect(r.diffs).toEqual([]);
  expect(r.diff).toBe(0);
  expect(r.stored).toBe(r.published);
  expect(r.deadLettered).toBe(r.poison * consumersThatDeadLetter);
  expect(r.blockedPartitions).toBe(0);
}

describe('fault suite: nothing lost, nothing counted twice', () => {
  afterAll(() => writeReport(results));

  it.each(['raw-sink', 'income-aggregator', 'asset-aggregator', 'cache-invalidator'] as const)(
    'SIGKILL of %s mid-batch, then restart',
    async (name) => {
      check(await runScenario(`SIGKILL ${name}`, (ctx) => killAndRestart(ctx, name)));
    },
  );

  it('rebalance: second aggregator instances join under load and later leave', async () => {
    check(
      await runScenario('rebalance join + leave', async (ctx) => {
        const extra = [ctx.start('asset-aggregator'), ctx.start('income-aggregator')];
        await waitFor('60% of the load out', async () => ctx.load.sent() >= 0.6 * 4000, 120_000, 50);
        await Promise.all(extra.map((s) => s.stop('SIGTERM')));
        ctx.restored();
      }),
    );
  });

  it('poison records (bad bytes, unknown schema id, invalid framing, NUL text, impossible dates and amounts) interleaved with good ones', async () => {
    check(
      await runScenario('poison records', async (ctx) => {
        for (let i = 0; i < 3; i++) {
          await ctx.sendPoison(10);
          await ctx.sendInvalid();
          await sleep(1000);
        }
      }),
    );
  });

  it('PostgreSQL unreachable under load: consumers back off and resume, no crash loop', async () => {
    check(
      await runScenario('PostgreSQL down 6 s', async (ctx) => {
        await ctx.pgProxy.cut();
        await sleep(6000);
        for (const s of Object.values(ctx.services)) expect(s.child.exitCode).toBeNull();
        await ctx.pgProxy.restore();
        ctx.restored();
      }),
    );
  });

  it('Redis unreachable: reads still answered from Postgres; back: no stale answer survives', async () => {
    check(
      await runScenario('Redis down 5 s', async (ctx) => {
        await ctx.redisProxy.cut();
        await sleep(1000);
        const during = await ctx.read('today-overview', '1000000000000000000', '11');
        expect(during.status).toBe(200);
        await sleep(4000);
        for (const s of Object.values(ctx.services)) expect(s.child.exitCode).toBeNull();
        await ctx.redisProxy.restore();
        ctx.restored();
      }),
    );
  });

  it('skewed clocks: the raw sink 26 h ahead, the income aggregator 9 h behind, the invalidator 9 h ahead', async () => {
    const seen: Record<string, { offset: number; age: number }> = {};
    check(
      await runScenario('clock skew (+26 h, -9 h, +9 h)', async (ctx) => {
        const skews: Array<[Consumer, string, number]> = [
          ['raw-sink', '+26h', -26 * 3600],
          ['income-aggregator', '-9h', 9 * 3600],
          ['cache-invalidator', '+9h', -9 * 3600],
        ];
        const ports: Record<string, number> = {};
        for (const [name, offset] of skews) {
          await ctx.services[name].stop('SIGTERM');
          ports[name] = await freePort();
          ctx.services[name] = ctx.start(name, { ...skewedClockEnv(offset), [processEntry(name).port.variable]: String(ports[name]) });
        }
        ctx.restored();
        const metric = async (name: string, metricName: string) => {
          const text = await (await fetch(`http://127.0.0.1:${ports[name]}/metrics`).catch(() => undefined))?.text();
          const m = text && new RegExp(`^${metricName}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
          return m ? Number(m[1]) : undefined;
        };
        for (const [name, , expected] of skews) {
          // Each measured its offset against Postgres, and applied records since.
          await waitFor(
            `${name}: offset measured and records applied`,
            async () => {
              const offset = await metric(name, 'pipeline_clock_offset_seconds');
              const count = await metric(name, 'pipeline_record_age_seconds_count');
              return offset !== undefined && Math.abs(offset - expected) < 5 && (count ?? 0) > 0;
            },
            60_000,
            250,
          );
          const sum = (await metric(name, 'pipeline_record_age_seconds_sum'))!;
          const count = (await metric(name, 'pipeline_record_age_seconds_count'))!;
          seen[name] = { offset: (await metric(name, 'pipeline_clock_offset_seconds'))!, age: sum / count };
        }
        // Partitions are the database's days (yesterday to 7 ahead), not the raw sink's.
        const days = await ctx.p.db.pool.query<{ d: string }>(
          `SELECT to_char((now() AT TIME ZONE 'Asia/Shanghai')::date + i, 'YYYYMMDD') AS d FROM generate_series(-1, 7) AS i`,
        );
        const parts = await ctx.p.db.pool.query<{ name: string }>(
          `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent = 'raw_events'::regclass AND c.relname <> 'raw_events_default' ORDER BY 1`,
        );
        expect(parts.rows.map((r) => r.name)).toEqual(days.rows.map((r) => `raw_events_p${r.d}`));
      }),
    );
    // Freshness is meaningful (seconds, not the skew): ages measured on the reference clock.
    for (const { age } of Object.values(seen)) expect(age).toBeLessThan(60);
    console.log(JSON.stringify({ skew: seen }));
  });

  it('Postgres failover: the primary killed under load, its synchronous hot standby promoted; every process reconnects by itself', async () => {
    const pair = await startOwnPostgresPair({ synchronous: true });
    try {
      check(
        await runScenario(
          'Postgres failover (sync standby)',
          async (ctx) => {
            pair.killPrimary();
            // What an operator or a failover manager takes to decide; the processes only retry.
            await sleep(2000);
            pair.promoteStandby();
            ctx.restored();
            for (const s of Object.values(ctx.services)) expect(s.child.exitCode).toBeNull();
          },
          { database: { urlFor: (db) => pair.multiHostUrl(db) } },
        ),
      );
    } finally {
      pair.stop();
    }
  });

  it("Postgres's disk full under load: consumers retry as transient, catch up when space returns", async () => {
    const disk = createSmallFilesystem(400, 'postgres');
    const pg = await startOwnPostgres(disk.path);
    let crashed = false;
    try {
      check(
        await runScenario(
          'Postgres disk full',
          async (ctx) => {
            disk.fill(1024 * 1024);
            const full = /No space left on device|could not extend file|could not write/;
            await waitFor(
              'a consumer told the disk is full',
              async () => Object.values(ctx.services).some((s) => full.test(s.output())),
              60_000,
              200,
            );
            await sleep(5000);
            for (const s of Object.values(ctx.services)) expect(s.child.exitCode).toBeNull();
            disk.free();
            // A write-ahead log that cannot be written stops Postgres (PANIC): its supervisor starts it again.
            crashed = !pg.running();
            if (crashed) pg.start();
            ctx.restored();
          },
          { database: { urlFor: pg.urlFor } },
        ),
      );
    } finally {
      console.log(JSON.stringify({ diskFull: { postgresStoppedByIt: crashed } }));
      pg.stop();
      disk.remove();
    }
  });

  it("Kafka's log directory full under load: the ingest answers 503 with a reason, never 500, never an acknowledgement it cannot keep", async () => {
    const disk = createSmallFilesystem(300);
    const broker = await startOwnBroker(disk.path);
    const stackBrokers = process.env.KAFKA_BROKERS;
    process.env.KAFKA_BROKERS = broker.brokers; // the scenario's pipeline, processes and ingest on it
    const acked: string[] = [];
    const statuses = new Map<number, number>();
    const reasons = new Set<string>();
    let halted = false;
    try {
      const r = await runScenario('Kafka log directory full', async (ctx) => {
        const ingest = startService('ingest', { ...ctx.p.env, INGEST_PORT: '0', INGEST_ACK_TIMEOUT_MS: '3000' });
        const port = await waitFor('ingest listening', async () => /"port":(\d+)/.exec(ingest.output())?.[1], 60_000, 100);
        let n = 0;
        const post = async () => {
          const id = `ingest-full-${n++}`;
          const res = await fetch(`http://127.0.0.1:${port}/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${DEV_SECRETS.INGEST_TOKEN}` },
            body: JSON.stringify({
              event_id: id,
              event_type: 'crystal.change',
              user_id: '5',
              star_id: '770077',
              occurred_at: new Date().toISOString(),
              properties: { amount: 1, balance_after: n, reason: 'disk full' },
            }),
          }).catch(() => undefined);
          if (!res) return;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const body = (await res.json().catch(() => ({}))) as { accepted?: number; message?: string };
          if (res.status === 200 && body.accepted === 1) acked.push(id);
          if (res.status === 503) reasons.add(String(body.message));
        };
        disk.fill(256 * 1024);
        await waitFor('the ingest refuses with 503', async () => (await post(), statuses.has(503)), 90_000, 100);
        for (let i = 0; i < 20; i++) await post();
        halted = !broker.running();
        for (const s of Object.values(ctx.services)) expect(s.child.exitCode).toBeNull();
        disk.free();
        // A broker whose only log directory failed stops itself: its supervisor starts it again.
        if (halted) await broker.start();
        ctx.restored();
        for (let i = 0; i < 5; i++) await post();
        await ingest.stop();
        // Every event the ingest acknowledged reaches raw_events.
        await waitFor(
          'every acknowledged event stored',
          async () =>
            (await ctx.p.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM raw_events WHERE event_id = ANY($1)', [acked]))
              .rows[0]!.n === acked.length,
          120_000,
          500,
        );
      });
      results.push(r);
      expect(r.diffs).toEqual([]);
      // On top of the load: what the ingest acknowledged (all of it, checked by id above), and any it
      // answered 503 for that Kafka took after all (a 503 asks the client to send again).
      expect(r.stored).toBeGreaterThanOrEqual(r.published + acked.length);
      expect(acked.length).toBeGreaterThan(0);
      expect(r.deadLettered).toBe(0);
      expect(r.blockedPartitions).toBe(0);
      expect([...statuses.keys()].filter((s) => s !== 200 && s !== 503)).toEqual([]);
      expect(statuses.get(503)).toBeGreaterThan(0);
      expect([...reasons].every((m) => m.length > 0 && m !== 'undefined')).toBe(true);
    } finally {
      process.env.KAFKA_BROKERS = stackBrokers;
      if (stackBrokers === undefined) delete process.env.KAFKA_BROKERS;
      console.log(
        JSON.stringify({ kafkaDiskFull: { statuses: Object.fromEntries(statuses), reasons: [...reasons], acked: acked.length, halted } }),
      );
      await broker.stop();
      disk.remove();
    }
  });

  const kafkaOwned = ownedPid('kafka') !== undefined;
  (kafkaOwned ? it : it.skip)('Kafka broker restart under load', async () => {
    check(
      await runScenario('Kafka broker restart', async () => {
        await stopProcess(ownedPid('kafka')!);
        await sleep(2000);
        stackUp();
      }),
    );
  });

  const registryOwned = ownedPid('registry') !== undefined;
  (registryOwned ? it : it.skip)('schema registry unavailable at start-up and mid-run', async () => {
    check(
      await runScenario('schema registry down', async (ctx) => {
        await stopProcess(ownedPid('registry')!);
        // Start-up without a registry: a producer fails clearly instead of accepting what it cannot encode.
        const ingest = startService('ingest', { ...ctx.p.env, INGEST_PORT: '0' });
        expect(await ingest.stop('SIGCONT')).toBe(1);
        expect(ingest.output()).toMatch(/schema registry at \S+ unreachable/);
        // A consumer that starts now has no schema cached: it must wait, not dead-letter good records.
        const late = ctx.start('asset-aggregator');
        await sleep(4000);
        expect(late.child.exitCode).toBeNull();
        stackUp();
        ctx.restored();
      }),
    );
  });
});
