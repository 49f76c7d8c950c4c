import { Partitioners, type Kafka, type Message } from 'kafkajs';

/**
 * What the Kafka client itself costs per produced record: pre-encoded records sent by `callers`
 * concurrent callers in sends of `messages.length`, through a producer configured as the publisher
 * configures it (idempotent, acks=all, one request in flight), for `seconds`. The CPU is this
 * process's (user + system); run it with nothing else in the process.
 */
export async function kafkajsProduceCost(
  kafka: Kafka,
  topic: string,
  messages: Message[],
  seconds: number,
  callers = 10,
): Promise<{ recordsPerSecond: number; cpuUsPerRecord: number }> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages }); // metadata and producer id outside the timed window
  let records = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < end) {
        await producer.send({ topic, acks: -1, messages });
        records += messages.length;
      }
    }),
  );
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await producer.disconnect();
  return { recordsPerSecond: (records / ms) * 1000, cpuUsPerRecord: (cpu.user + cpu.system) / records };
}
