import type { Producer } from 'kafkajs';
import type { ChangeSet } from '@fan/read-contract';

/** Sends a chunk's changes (acks=all) keyed by star, before the chunk's offset is committed. */
export async function publishChanges(producer: Producer, topic: string, changes: ChangeSet): Promise<void> {
  if (changes.size === 0) return;
  await producer.send({
    topic,
    acks: -1,
    messages: changes.list().map((c) => ({ key: c.star_id, value: JSON.stringify(c) })),
  });
}
