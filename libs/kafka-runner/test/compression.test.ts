import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTestTopics, silentLogger, stackEnv, uniqueName, waitFor, type TestTopics } from '@fan/test-support';
import { createKafka } from '../src/kafka-client';

const ROOT = join(__dirname, '../../..');
const KAFKA_LIBS = join(ROOT, process.env.STACK_DIR ?? '.local', 'kafka/libs');

/** Java's own producer (kafka-clients 3.9.1 with lz4-java, snappy-java, zstd-jni), as other teams run it. */
function javaProduce(topic: string, codec: string, lines: string[]): void {
  const java = execFileSync('bash', ['-c', `source ${join(ROOT, 'scripts/stack/env.sh')}; find_java 11`])
    .toString()
    .trim();
  execFileSync(
    java,
    [
      '-cp',
      `${KAFKA_LIBS}/*`,
      '-Dlog4j.configuration=file:/dev/null',
      'kafka.tools.ConsoleProducer',
      '--bootstrap-server',
      stackEnv().KAFKA_BROKERS,
      '--topic',
      topic,
      '--compression-codec',
      codec,
      '--producer-property',
      'linger.ms=200',
      '--producer-property',
      'batch.size=1048576',
      '--property',
      'parse.key=true',
    ],
    { input: `${lines.join('\n')}\n`, stdio: ['pipe', 'ignore', 'pipe'], timeout: 60_000 },
  );
}

describe('consumers read batches compressed by a Java producer', () => {
  let t: TestTopics;
  beforeAll(async () => {
    t = await createTestTopics(1);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  (existsSync(KAFKA_LIBS) ? it : it.skip).each(['gzip', 'snappy', 'lz4', 'zstd'])('%s', async (codec) => {
    const topic = `${t.prefix}.${codec}`;
    await t.admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    // Repetitive values, so that every codec really compresses them into one batch.
    const lines = Array.from({ length: 50 }, (_, i) => `k${i % 3}\t${codec}-value-${i}-${'x'.repeat(200)}`);
    javaProduce(topic, codec, lines);

    const consumer = createKafka(uniqueName('codec'), stackEnv().KAFKA_BROKERS.split(','), silentLogger()).consumer({
      groupId: uniqueName('codec'),
      maxWaitTimeInMs: 100,
    });
    const got: string[] = [];
    let crash: unknown;
    consumer.on(consumer.events.CRASH, (e) => (crash = e.payload.error));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void got.push(`${message.key?.toString()}\t${message.value?.toString()}`) });
    try {
      await waitFor(`${codec} records`, async () => (crash ? Promise.reject(crash) : got.length >= lines.length), 30_000, 100);
    } finally {
      await consumer.disconnect();
      await t.admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    }
    expect(got).toEqual(lines);
  });
});
