import { Client } from 'pg';
import { statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { consumersOf, longRunning } from '@fan/config';
import { dropDatabase } from '@fan/migrations';
import { deleteTopicsOf, freePort, stackEnv, startFreshRegistry, uniqueName, waitFor, type FreshRegistry } from '@fan/test-support';
import { healthy, interruptAndWait, kill, listening, npmStart } from './npm-start';

describe('npm start', () => {
  it('brings every service up healthy on an empty registry and an empty database; an event is stored; Ctrl-C stops all', async () => {
    const reg: FreshRegistry = await startFreshRegistry();
    // The registry above only reserves a fresh store and port: stop it so that npm start starts its own.
    await reg.stop();
    const tag = uniqueName('firstrun');
    const dbUrl = new URL(stackEnv().PG_ADMIN_URL);
    dbUrl.pathname = `/db_${tag}`;
    // Every process npm start runs by default, from the manifest: each on a free port, each group under an id of its own.
    const ports: Record<string, number> = {};
    for (const p of longRunning()) if (p.port) ports[p.port.variable] = await freePort();
    const groupIds = Object.fromEntries(consumersOf().map((g) => [`${g.envPrefix}_GROUP_ID`, `${tag}-${g.group.id}`]));
    const env: Record<string, string> = {
      ...reg.env,
      REGISTRY_DB: `reg_${tag}`,
      DATABASE_URL: dbUrl.toString(),
      TOPIC_PREFIX: tag,
      CACHE_PREFIX: tag,
      ...groupIds,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    };
    const started = npmStart(env);
    try {
      await waitFor(
        'every service healthy',
        async () => (await Promise.all(Object.values(ports).map(healthy))).every(Boolean),
        300_000,
        1000,
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n--- npm start output ---\n${started.output().slice(-4000)}`);
      });
      expect(started.output()).toContain('schemas registered at');
      // The logs (the demo's holds a 24-hour dashboard token) are the user's alone.
      const logDir = join(__dirname, '../../.local/logs');
      const modes = [logDir, join(logDir, 'demo-traffic.log'), join(logDir, 'query-api.log')].map((f) =>
        (statSync(f).mode & 0o777).toString(8),
      );
      expect(modes).toEqual(['700', '600', '600']);
      // Kept up: nothing exits in the next 10 s (the race of the old start-up killed services here).
      await new Promise((r) => setTimeout(r, 10_000));
      expect(started.output()).not.toContain('a service exited');

      const eventId = `${tag}-1`;
      const res = await fetch(`http://127.0.0.1:${ports.INGEST_PORT}/v1/events`, {
        method: 'POST',
        headers: { authorization: 'Bearer dev-ingest-token', 'content-type': 'application/json' },
        body: JSON.stringify({
          event_id: eventId,
          event_type: 'asset.like',
          user_id: '1234567890123456789',
          star_id: '7',
          occurred_at: Date.now() - 60_000,
          properties: { asset_id: '9007199254740993', liker_user_id: '42', amount: 5 },
        }),
      });
      expect(res.status).toBe(200);
      const db = new Client({ connectionString: dbUrl.toString() });
      await db.connect();
      try {
        const row = await waitFor(
          'event stored',
          async () => (await db.query<{ user_id: string }>('select user_id::text from raw_events where event_id = $1', [eventId])).rows[0],
          20_000,
          250,
        );
        expect(row.user_id).toBe('1234567890123456789');
      } finally {
        await db.end();
      }

      await interruptAndWait(started);
      expect(started.output()).not.toContain('a service exited');
      for (const p of [...Object.values(ports), reg.port])
        expect({ port: p, listening: await listening(p) }).toEqual({ port: p, listening: false });
    } finally {
      kill(started);
      const admin = new URL(stackEnv().PG_ADMIN_URL);
      admin.pathname = `/reg_${tag}`;
      await dropDatabase(admin.toString());
      await dropDatabase(dbUrl.toString());
      await deleteTopicsOf(tag, Object.values(groupIds));
    }
  }, 420_000);

  it('exits non-zero naming the service that died, with the last lines of its log', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const taken = (blocker.address() as { port: number }).port;
    const tag = uniqueName('deadsvc');
    const started = npmStart({
      SERVICES: 'raw-sink',
      DEMO_TRAFFIC: 'false',
      RAW_SINK_HEALTH_PORT: String(taken),
      TOPIC_PREFIX: tag,
      RAW_SINK_GROUP_ID: tag,
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/db_${tag}`,
    });
    try {
      const code = await Promise.race([started.exited, new Promise<string>((r) => setTimeout(() => r('still running'), 240_000))]);
      expect(code).toBe(1);
      expect(started.output()).toMatch(/a service exited: raw-sink \(exit code 1\)/);
      expect(started.output()).toContain('EADDRINUSE');
    } finally {
      kill(started);
      blocker.close();
      await dropDatabase(`postgres://postgres@127.0.0.1:5432/db_${tag}`);
      await deleteTopicsOf(tag, [tag]);
    }
  }, 300_000);

  it('REPLICAS scales a consumer group by hand: two raw sinks share the partitions of one group', async () => {
    let port = await freePort();
    while (await listening(port + 100)) port = await freePort();
    const tag = uniqueName('replicas');
    const dbUrl = `postgres://postgres@127.0.0.1:5432/db_${tag}`;
    const started = npmStart({
      SERVICES: 'raw-sink',
      REPLICAS: 'raw-sink=2',
      DEMO_TRAFFIC: 'false',
      RAW_SINK_HEALTH_PORT: String(port),
      TOPIC_PREFIX: tag,
      RAW_SINK_GROUP_ID: tag,
      DATABASE_URL: dbUrl,
    });
    const kafka = new Kafka({ clientId: tag, brokers: stackEnv().KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    try {
      await waitFor('both instances healthy', async () => (await healthy(port)) && (await healthy(port + 100)), 240_000, 1000);
      await admin.connect();
      const spread = await waitFor(
        'partitions spread over both members',
        async () => {
          const { groups } = await admin.describeGroups([tag]);
          const members = groups[0]?.members ?? [];
          if (groups[0]?.state !== 'Stable' || members.length !== 2) return undefined;
          const counts = members.map(
            (m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)!.assignment[`${tag}.events`]?.length ?? 0,
          );
          return counts.every((c) => c > 0) ? counts : undefined;
        },
        60_000,
        500,
      );
      expect(spread.reduce((a, b) => a + b, 0)).toBe(12);
      expect(Math.abs(spread[0]! - spread[1]!)).toBeLessThanOrEqual(1);
      expect(started.output()).not.toContain('a service exited');
    } finally {
      await interruptAndWait(started).catch(() => kill(started));
      await admin.disconnect().catch(() => undefined);
      await dropDatabase(dbUrl);
      await deleteTopicsOf(tag, [tag]);
    }
  }, 300_000);

  it('REPLICAS refuses what cannot scale that way', async () => {
    const started = npmStart({
      SERVICES: 'raw-sink',
      REPLICAS: 'query-api=2',
      DEMO_TRAFFIC: 'false',
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/db_${uniqueName('norep')}`,
    });
    try {
      const code = await Promise.race([started.exited, new Promise<string>((r) => setTimeout(() => r('still running'), 240_000))]);
      expect(code).toBe(2);
      expect(started.output()).toContain("REPLICAS: 'query-api=2' — only consumer groups scale this way");
    } finally {
      kill(started);
    }
  }, 300_000);
});
