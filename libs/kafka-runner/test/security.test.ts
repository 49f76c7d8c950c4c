import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { kafkaSecurity } from '@fan/config';
import { silentLogger, uniqueName, waitFor } from '@fan/test-support';
import { createKafka } from '../src/kafka-client';

const ROOT = join(__dirname, '../../..');
// STACK_DIR may be absolute (resolve, not join): the stack scripts take it either way.
const CA = resolve(ROOT, process.env.STACK_DIR ?? '.local', 'kafka/tls/ca.pem');
// The listeners and the local user that scripts/stack/up.sh gives the local broker.
const SASL = `127.0.0.1:${process.env.KAFKA_SASL_PORT ?? '9094'}`;
const TLS = `127.0.0.1:${process.env.KAFKA_SSL_PORT ?? '9095'}`;
const USER = process.env.KAFKA_LOCAL_SASL_USER ?? 'dashboard';
const PASSWORD = process.env.KAFKA_LOCAL_SASL_PASSWORD ?? 'dashboard-local-secret';

/** Round trip through one listener with the settings parsed exactly as a service parses them. */
async function roundTrip(broker: string, env: Record<string, string>): Promise<string> {
  const kafka = createKafka(uniqueName('sec'), [broker], silentLogger(), kafkaSecurity(env));
  const admin = kafka.admin();
  await admin.connect();
  const topic = uniqueName('sec');
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: uniqueName('sec'), maxWaitTimeInMs: 100 });
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ value: `hello over ${broker}` }] });
    let got: string | undefined;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void (got = message.value?.toString()) });
    return await waitFor('the record back', async () => got, 30_000, 100);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

const local = existsSync(CA) ? describe : describe.skip;
local("Kafka security settings against the local broker's real SASL and TLS listeners", () => {
  it.each(['plain', 'scram-sha-256', 'scram-sha-512'])('SASL %s', async (mechanism) => {
    expect(await roundTrip(SASL, { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: USER, KAFKA_SASL_PASSWORD: PASSWORD })).toBe(
      `hello over ${SASL}`,
    );
  });

  it.each(['plain', 'scram-sha-256'])('SASL %s with a wrong password is refused', async (mechanism) => {
    const kafka = createKafka(
      uniqueName('sec'),
      [SASL],
      silentLogger(),
      kafkaSecurity({ KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: USER, KAFKA_SASL_PASSWORD: 'wrong' }),
    );
    const admin = kafka.admin({ retry: { retries: 0 } });
    await expect(admin.connect()).rejects.toThrow(/SASL|[Aa]uthentication/);
  });

  it("TLS with the broker's CA", async () => {
    expect(await roundTrip(TLS, { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: CA })).toBe(`hello over ${TLS}`);
  });

  it("TLS without trusting the broker's certificate is refused", async () => {
    const kafka = createKafka(uniqueName('sec'), [TLS], silentLogger(), kafkaSecurity({ KAFKA_SSL: 'true' }));
    const admin = kafka.admin({ retry: { retries: 0 } });
    await expect(admin.connect()).rejects.toThrow(/certificate/i);
  });
});
