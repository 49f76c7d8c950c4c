/**
 * App activity and presence (issue 13):
 *   npm run bench:presence   (BENCH_HEARTBEATS, default 200,000; BENCH_IDENTITIES_PER_DAY, default 1,000,000)
 * - heartbeats sustained per second by one presence-aggregator process over a backlog;
 * - online-count and DAU read latency (p50/p99) from 10 concurrent clients while heartbeats flow;
 * - one day of 1,000,000 identities: exact rows (time, bytes) against a HyperLogLog (time, bytes, error).
 */
import Redis from 'ioredis';
import jwt from 'jsonwebtoken';
import { registerSchemas } from '@fan/event-codec';
import { validateActivityEvent, type ActivityEvent } from '@fan/events';
import { cacheKeys } from '@fan/read-contract';
import { createTestPipeline, freshMetrics, listen, silentLogger, stackEnv, uniqueName, waitFor } from '@fan/test-support';
import { createQueryApp } from '../services/query-api/src/app';
import { createAnswerCache } from '../services/query-api/src/cache';
import { peakRssMb, quantile, report, type Row } from './lib/report';
import { useBuiltServices } from './lib/services';

const HEARTBEATS = Number(process.env.BENCH_HEARTBEATS ?? 200_000);
const PER_DAY = Number(process.env.BENCH_IDENTITIES_PER_DAY ?? 1_000_000);
const SECRET = 'bench-secret';

function heartbeat(i: number, at: number): ActivityEvent {
  const v = validateActivityEvent({
    event_id: `hb-${i}`,
    event_type: i % 50 === 0 ? 'app.session_start' : 'presence.heartbeat',
    install_id: `dev-${i % 50_000}`,
    occurred_at: at,
    properties: i % 50 === 0 ? { province: 'Guangdong', city: i % 100 === 0 ? 'Shenzhen' : 'Guangzhou' } : {},
  });
  if (!v.ok) throw new Error(v.reason);
  return v.event;
}

async function main() {
  const runtime = useBuiltServices(['presence-aggregator']);
  await registerSchemas(stackEnv().SCHEMA_REGISTRY_URL);
  const rows: Row[] = [];
  const p = await createTestPipeline('benchpresence', 12);
  const redis = new Redis(stackEnv().REDIS_URL);
  try {
    // 1. Backlog, then one process drains it.
    const now = Date.now();
    for (let i = 0; i < HEARTBEATS; i += 5000) {
      await p.publisher.publish(
        Array.from({ length: Math.min(5000, HEARTBEATS - i) }, (_, j) => heartbeat(i + j, now - 170_000 + ((i + j) % 170_000))),
      );
    }
    console.log(`${HEARTBEATS} activity events published; starting one presence aggregator`);
    const started = Date.now();
    const proc = p.start('presence-aggregator', { PRESENCE_AGG_GROUP_ID: uniqueName('presence'), PRESENCE_AGG_HEALTH_PORT: '0' });
    await waitFor(
      'drained',
      async () => (await p.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM presence_activity')).rows[0]!.n >= HEARTBEATS,
      600_000,
      200,
    );
    const seconds = (Date.now() - started) / 1000;
    rows.push({
      case: `presence-aggregator: backlog of ${HEARTBEATS} activity events`,
      'events/s': Math.round(HEARTBEATS / seconds),
      'peak RSS MB': peakRssMb(proc.child.pid!),
    });

    // 2. Reads under a live trickle of heartbeats (the aggregator keeps invalidating).
    const app = createQueryApp({
      db: p.db.pool,
      cache: createAnswerCache(redis, cacheKeys(p.cachePrefix), 300, silentLogger()),
      jwtSecret: SECRET,
      tz: 'Asia/Shanghai',
      clock: Date.now,
      logger: silentLogger(),
      metrics: freshMetrics(),
      health: {},
    });
    const http = await listen(app);
    p.start('cache-invalidator');
    let live = true;
    const trickle = (async () => {
      for (let k = 0; live; k++) {
        await p.publisher.publish(Array.from({ length: 50 }, (_, j) => heartbeat(HEARTBEATS + k * 50 + j, Date.now())));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const auth = { authorization: `Bearer ${jwt.sign({ sub: '1' }, SECRET, { algorithm: 'HS256', expiresIn: '1h' })}` };
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    for (const [name, path] of [
      ['online-count', '/api/v1/presence/online-count'],
      [
        'dau (14 days)',
        `/api/v1/analytics/dau?start_date=${new Date(Date.parse(today) - 13 * 86_400_000).toISOString().slice(0, 10)}&end_date=${today}`,
      ],
    ] as const) {
      const lat: number[] = [];
      const until = Date.now() + 8000;
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (Date.now() < until) {
            const t0 = process.hrtime.bigint();
            const res = await fetch(`${http.base}${path}`, { headers: auth });
            await res.arrayBuffer();
            lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
          }
        }),
      );
      rows.push({
        case: `read ${name}, 10 clients, heartbeats flowing`,
        'requests/s': Math.round(lat.length / 8),
        'p50 ms': quantile(lat, 0.5).toFixed(1),
        'p99 ms': quantile(lat, 0.99).toFixed(1),
      });
    }
    live = false;
    await trickle;
    await http.close();

    // 3. One day of PER_DAY identities: exact rows against a HyperLogLog.
    const day = '2026-12-01';
    let t0 = Date.now();
    await p.db.pool.query(
      `INSERT INTO presence_daily_active (day, identity) SELECT $1::date, 'install:' || g FROM generate_series(1, $2::int) g`,
      [day, PER_DAY],
    );
    const exactMs = Date.now() - t0;
    const size = (await p.db.pool.query<{ b: string }>(`SELECT pg_total_relation_size('presence_daily_active')::text AS b`)).rows[0]!.b;
    t0 = Date.now();
    const count = (await p.db.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM presence_daily_active WHERE day = $1', [day]))
      .rows[0]!.n;
    const countMs = Date.now() - t0;
    rows.push({
      case: `exact: ${PER_DAY} identities in one day`,
      'write s': (exactMs / 1000).toFixed(1),
      bytes: size,
      'bytes/identity': Math.round(Number(size) / PER_DAY),
      'count ms': countMs,
      estimate: count,
      'error %': '0',
    });
    const key = `${p.cachePrefix}:bench:hll`;
    t0 = Date.now();
    for (let i = 0; i < PER_DAY; i += 10_000) await redis.pfadd(key, ...Array.from({ length: 10_000 }, (_, j) => `install:${i + j + 1}`));
    const hllMs = Date.now() - t0;
    t0 = Date.now();
    const est = await redis.pfcount(key);
    const pfMs = Date.now() - t0;
    const mem = (await redis.call('MEMORY', 'USAGE', key)) as number;
    rows.push({
      case: `hll: ${PER_DAY} identities in one day`,
      'write s': (hllMs / 1000).toFixed(1),
      bytes: mem,
      'bytes/identity': (mem / PER_DAY).toFixed(3),
      'count ms': pfMs,
      estimate: est,
      'error %': ((Math.abs(est - PER_DAY) / PER_DAY) * 100).toFixed(2),
    });
    await redis.del(key);
  } finally {
    redis.disconnect();
    await p.stop();
  }
  report('Activity and presence', `BENCH_HEARTBEATS=${HEARTBEATS} npm run bench:presence`, rows, [
    runtime,
    'Backlog: 12 partitions, 50,000 installs, 1 in 50 events a session start; events/s counts every event the process applied (one transaction of up to 5,000 per chunk).',
    'Reads: the query API in the bench process (Redis cache; the online count is cached per second and invalidated by every chunk); each client waits for its answer before the next request.',
    'Exact: INSERT … SELECT generate_series straight into the table (the aggregator adds chunks the same way); bytes = table + primary key. HLL: PFADD in batches of 10,000 from the bench process.',
  ]);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
