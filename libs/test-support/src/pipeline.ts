import type { Server } from 'node:http';
import Redis from 'ioredis';
import pino from 'pino';
import { Registry } from 'prom-client';
import { consumersOf, PROCESSES, type ProcessEntry } from '@fan/config';
import { createRegistry } from '@fan/event-codec';
import { createPublisher, type Publisher } from '@fan/producer';
import { createTestDatabase, type TestDatabase, type TestDatabaseServer } from './database';
import { createTestTopics, type TestTopics } from './kafka';
import { startService, type ServiceProcess } from './process';
import { stackEnv, uniqueName } from './stack';

export interface TestPipeline {
  db: TestDatabase;
  topics: TestTopics;
  publisher: Publisher;
  redis: Redis;
  cachePrefix: string;
  /** Environment that points a service process at this pipeline's database, topics and cache. */
  env: Record<string, string>;
  services: ServiceProcess[];
  start(name: string, extra?: Record<string, string>, nodeArgs?: string[]): ServiceProcess;
  /**
   * Resolves once the consumer group (an env key such as `INVALIDATOR_GROUP_ID`) has committed up to
   * the end of `topic` on every partition, i.e. it has applied everything published so far.
   */
  caughtUp(groupEnvKey: string, topic: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Every consumer group of the manifest under a group id of this test's own, serving on a free port
 * (parallel tests never share a group or a port).
 */
export function privateGroups(tag: string, manifest: readonly ProcessEntry[] = PROCESSES): Record<string, string> {
  const env: Record<string, string> = {};
  for (const g of consumersOf(manifest)) {
    env[`${g.envPrefix}_GROUP_ID`] = `${tag}-${g.group.id}`;
    env[g.port.variable] = '0';
  }
  return env;
}

/**
 * A private pipeline on the real stack: its own database, topics, consumer groups and Redis key
 * prefix, with service processes started on demand; stop() removes all of it.
 */
export async function createTestPipeline(
  name: string,
  partitions = 3,
  opts: { database?: TestDatabaseServer } = {},
): Promise<TestPipeline> {
  const { SCHEMA_REGISTRY_URL, REDIS_URL } = stackEnv();
  const db = await createTestDatabase(name, opts.database);
  const topics = await createTestTopics(partitions);
  const publisher = await createPublisher({
    kafka: topics.kafka,
    registry: createRegistry(SCHEMA_REGISTRY_URL),
    registryUrl: SCHEMA_REGISTRY_URL,
    topic: topics.topics.events,
    activityTopic: topics.topics.activity,
  });
  const redis = new Redis(REDIS_URL);
  const cachePrefix = uniqueName('dash');
  const groups = uniqueName('g');
  const env = {
    DATABASE_URL: db.url,
    TOPIC_PREFIX: topics.prefix,
    EVENT_PARTITIONS: String(partitions),
    REDIS_URL,
    CACHE_PREFIX: cachePrefix,
    ...privateGroups(groups),
    // The test's invalidator must see the changes published before it joined.
    INVALIDATOR_FROM_BEGINNING: 'true',
  };
  const services: ServiceProcess[] = [];
  return {
    db,
    topics,
    publisher,
    redis,
    cachePrefix,
    env,
    services,
    start: (service, extra = {}, nodeArgs = []) => {
      const p = startService(service, { ...env, ...extra }, nodeArgs);
      services.push(p);
      return p;
    },
    caughtUp: async (groupEnvKey, topic, timeoutMs = 20_000) => {
      const groupId = (env as Record<string, string>)[groupEnvKey];
      if (!groupId) throw new Error(`no consumer group ${groupEnvKey} in this pipeline`);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const ends = await topics.admin.fetchTopicOffsets(topic);
        const [committed] = await topics.admin.fetchOffsets({ groupId, topics: [topic] });
        const at = new Map(committed!.partitions.map((c) => [c.partition, BigInt(c.offset)]));
        // Nothing committed (-1) on a partition that never held a record is not behind.
        const behind = ends.filter((e) => {
          const c = at.get(e.partition) ?? -1n;
          return (c < 0n ? BigInt(e.low) : c) < BigInt(e.high);
        });
        if (behind.length === 0) return;
        if (Date.now() > deadline)
          throw new Error(
            `${groupId} still behind on ${topic} after ${timeoutMs} ms: partitions ${behind.map((b) => b.partition).join(', ')}`,
          );
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop: async () => {
      await Promise.all(services.map((s) => s.stop()));
      await publisher.close();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${cachePrefix}:*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      redis.disconnect();
      await topics.cleanup();
      await db.drop();
    },
  };
}

/** Listens on a free port; close() also drops the keep-alive sockets fetch leaves open. */
export async function listen(app: {
  listen: (port: number, cb: () => void) => Server;
}): Promise<{ base: string; server: Server; close: () => Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, () => resolve(s));
  });
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { base: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server, close };
}

export const silentLogger = () => pino({ level: 'silent' });
export const freshMetrics = () => new Registry();
