import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTestTopics, silentLogger, stackEnv, uniqueName, waitFor, type TestTopics } from '@fan/test-support';
import { createKafka } from '../src/kafka-client';

const ROOT = join(__dirname, '../../..');
// STACK_DIR may be absolute (resolve, not join): the stack scripts take it either way.
const KAFKA_LIBS = resolve(ROOT, process.env.STACK_DIR ?? '.local', 'kafka/libs');
/** The running broker's release, from its jars (.local/kafka links to the running version's home). */
const KAFKA_JAR = existsSync(KAFKA_LIBS) ? readdirSync(KAFKA_LIBS).find((f) => /^kafka-clients-[\d.]+\.jar$/.test(f)) : undefined;
// Kafka 4.0 moved the console tools from Scala (kafka.tools) to Java (org.apache.kafka.tools).
const CONSOLE_PRODUCER = KAFKA_JAR?.startsWith('kafka-clients-3.')
  ? 'kafka.tools.ConsoleProducer'
  : 'org.apache.kafka.tools.ConsoleProducer';

/** Java's own producer (kafka-clients of the running release, with lz4-java, snappy-java, zstd-jni), as other teams run it. */
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
      '-Dlog4j2.configurationFile=/dev/null',
      CONSOLE_PRODUCER,
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
