import { randomUUID } from 'node:crypto';
import type { CommonConfig } from '@fan/config';
import { createRegistry } from '@fan/event-codec';
import type { ActivityEvent } from '@fan/events';
import { createKafka } from '@fan/kafka-runner';
import type { Logger } from '@fan/observability';
import { createPublisher, type Publisher } from '@fan/producer';

/**
 * Heartbeats of signed-in apps, published through the producer library. The publisher is made on
 * the first heartbeat, so the reads never wait for Kafka at start-up; a failure answers 503.
 */
export function heartbeatPublisher(common: CommonConfig, logger: Logger) {
  let publisher: Promise<Publisher> | undefined;
  const get = () =>
    (publisher ??= createPublisher({
      kafka: createKafka('query-api', common.kafkaBrokers, logger, common.kafkaSecurity),
      registry: createRegistry(common.registryUrl),
      registryUrl: common.registryUrl,
      topic: common.topics.events,
      activityTopic: common.topics.activity,
    }).catch((err: unknown) => {
      publisher = undefined;
      throw err;
    }));
  return {
    publish: async (h: { installId: string; user: bigint; appVersion: string | null; at: number }) => {
      const event = {
        event_id: randomUUID(),
        event_type: 'presence.heartbeat',
        install_id: h.installId,
        user_id: h.user,
        occurred_at: BigInt(h.at),
        properties: { app_version: h.appVersion },
      } as ActivityEvent;
      await (await get()).publish([event], { timeoutMs: 5000 });
    },
    close: async () => void (await (await publisher)?.close()),
  };
}
