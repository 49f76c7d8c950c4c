import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import {
  createEncoder,
  eventKey,
  registerSchemas,
  type DashboardEvent,
  type Encoder,
  type SchemaRegistry,
} from '@fan/events';

export interface PublisherParts {
  kafka: Kafka;
  registry: SchemaRegistry;
  registryUrl: string;
  topic: string;
}

export interface Publisher {
  /** Resolves once Kafka (acks=all) has every event; rejects if any was not taken. */
  publish(events: readonly DashboardEvent[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * The one place events are encoded and sent. Idempotent producer (acks=all, one request in flight)
 * so that kafkajs' own retries never write a record twice or out of order.
 */
export async function createPublisher(parts: PublisherParts): Promise<Publisher> {
  const ids = await registerSchemas(parts.registry, parts.registryUrl);
  const encode: Encoder = createEncoder(parts.registry, ids);
  const producer: Producer = parts.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return {
    async publish(events) {
      if (events.length === 0) return;
      const messages = await Promise.all(events.map(async (e) => ({ key: eventKey(e), value: await encode(e) })));
      await producer.send({ topic: parts.topic, acks: -1, messages });
    },
    close: () => producer.disconnect(),
  };
}
