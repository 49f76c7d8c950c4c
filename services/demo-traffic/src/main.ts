import jwt from 'jsonwebtoken';
import { commonConfig, ownSettings, secret } from '@fan/config';
import { createRegistry } from '@fan/event-codec';
import { createKafka, ensureTopics } from '@fan/kafka-runner';
import { READS } from '@fan/read-contract';
import { createLogger, exitOnFatal, onShutdown } from '@fan/observability';
import { createPublisher, createTracker } from '@fan/producer';
import { Apps, World, type Emit } from '@fan/simulation';

/**
 * Demo traffic: plays the five business services for one star through the producer library, with a
 * backfill of the last days so the dashboard has a shape at once, then a steady live stream.
 */
async function main(): Promise<void> {
  const common = commonConfig();
  const e = { ...ownSettings('demo-traffic'), QUERY_PORT: ownSettings('query-api').QUERY_PORT };
  const logger = createLogger('demo-traffic', common.logLevel);
  const kafka = createKafka('demo-traffic', common.kafkaBrokers, logger, common.kafkaSecurity);
  const topics = common.topics;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topics, common.eventPartitions);
  await admin.disconnect();
  const publisher = await createPublisher({
    kafka,
    registry: createRegistry(common.registryUrl),
    registryUrl: common.registryUrl,
    topic: topics.events,
    activityTopic: topics.activity,
  });
  const tracker = createTracker(publisher, logger, { maxBuffered: 50_000 });

  const users = Array.from({ length: e.DEMO_USERS }, (_, i) => (1_234_567_890_123_456_789n + BigInt(i)).toString());
  const world = new World(e.DEMO_STAR_ID, users);
  let rejected = 0;
  const emit: Emit = (event) => {
    const r = tracker.track(event);
    if (!r.ok) rejected++;
  };

  // Backfill: a few hundred events per past day, spread over the day.
  const now = Date.now();
  for (let d = e.DEMO_BACKFILL_DAYS; d >= 1; d--) {
    for (let i = 0; i < 300; i++) world.step(emit, now - d * 86_400_000 + Math.floor((i / 300) * 86_400_000));
    await tracker.flush();
  }

  const demoUser = world.assets[0]?.owner ?? (users[0] as string);
  // A 24-hour token, as an identity service issues one (iat and exp). It is printed here, to the
  // demo's log, which npm start keeps private to the user (0600 in a 0700 folder).
  const token = jwt.sign({ sub: demoUser }, secret('JWT_SECRET'), { algorithm: 'HS256', expiresIn: '24h' });
  const base = `http://127.0.0.1:${e.QUERY_PORT}/api/v1/dashboard`;
  console.log(
    [
      '',
      `  Demo dashboard of user ${demoUser} for star ${e.DEMO_STAR_ID} (token valid 24 hours). Open:`,
      `  http://127.0.0.1:${e.QUERY_PORT}/?star_id=${e.DEMO_STAR_ID}#token=${token}`,
      '',
      '  or read it with curl:',
      `  export TOKEN=${token}`,
      ...READS.map((r) => `  curl -s -H "Authorization: Bearer $TOKEN" '${base}/${r}?star_id=${e.DEMO_STAR_ID}'`),
      '',
    ].join('\n'),
  );

  // App activity too (CONTRACT §5): sessions from provinces and cities, heartbeats every 60 s.
  const apps = new Apps(users, e.DEMO_USERS * 2);
  const timer = setInterval(() => {
    const at = Date.now();
    for (let i = 0; i < Math.max(1, Math.round(e.DEMO_EVENTS_PER_SEC / 10)); i++) world.step(emit, at);
  }, 100);
  const appTimer = setInterval(() => apps.step(emit, Date.now()), 1000);
  const report = setInterval(() => logger.info({ ...tracker.stats(), rejected, assets: world.assets.length }, 'demo traffic'), 30_000);
  logger.info({ star: e.DEMO_STAR_ID, users: users.length, eventsPerSec: e.DEMO_EVENTS_PER_SEC }, 'demo traffic running');

  onShutdown(logger, async () => {
    clearInterval(timer);
    clearInterval(appTimer);
    clearInterval(report);
    await tracker.close();
    await publisher.close();
  });
}

main().catch(exitOnFatal('demo-traffic'));
