import type { IHeaders, KafkaMessage, Producer } from 'kafkajs';

/** A record that could not be decoded or validated, with why and where it came from. */
export interface DeadLetter {
  message: KafkaMessage;
  partition: number;
  reason: string;
}

export const DLQ_HEADERS = {
  reason: 'dlq.reason',
  topic: 'dlq.origin.topic',
  partition: 'dlq.origin.partition',
  offset: 'dlq.origin.offset',
  group: 'dlq.consumer.group',
  at: 'dlq.at',
} as const;

/**
 * The original bytes and headers are kept untouched so that a fixed pipeline can replay them; the
 * origin travels in headers. Sent with acks=all before the origin offset is committed.
 */
export function createDeadLetterSender(producer: Producer, deadLetterTopic: string, sourceTopic: string, group: string) {
  return async function sendDeadLetters(letters: DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const now = new Date().toISOString();
    await producer.send({
      topic: deadLetterTopic,
      acks: -1,
      messages: letters.map(({ message, partition, reason }) => {
        const headers: IHeaders = {
          ...(message.headers ?? {}),
          [DLQ_HEADERS.reason]: reason,
          [DLQ_HEADERS.topic]: sourceTopic,
          [DLQ_HEADERS.partition]: String(partition),
          [DLQ_HEADERS.offset]: message.offset,
          [DLQ_HEADERS.group]: group,
          [DLQ_HEADERS.at]: now,
        };
        return { key: message.key, value: message.value, headers };
      }),
    });
  };
}
export type SendDeadLetters = ReturnType<typeof createDeadLetterSender>;
