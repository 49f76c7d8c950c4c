import type { KafkaMessage } from 'kafkajs';
import { PoisonRecordError, type Decoder } from './codec';
import type { DashboardEvent } from './event';
import { validateEvent } from './validate';

/** A decoded, validated event and where it came from (kept in the raw row for tracing). */
export interface SourcedEvent {
  event: DashboardEvent;
  offset: string;
}

/**
 * decode → validate. Avro guarantees types, not the contract's ranges (amount >= 0, known levels,
 * event_id length), so the same validator as the ways in runs here; the 24-hour future rule does
 * not, because it depends on the producer's clock at publish time.
 */
/** The decode step every event consumer starts with. */
export function decodeEventStep(decode: Decoder) {
  return async (message: KafkaMessage): Promise<SourcedEvent> => {
    const decoded = await decode(message.value);
    const v = validateEvent(decoded);
    if (!v.ok) throw new PoisonRecordError(`invalid event: ${v.reason}`);
    return { event: v.event, offset: message.offset };
  };
}
