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
/** The decode step every event consumer starts with; synchronous unless a schema must be fetched. */
export function decodeEventStep(decode: Decoder) {
  const validated = (decoded: DashboardEvent, offset: string): SourcedEvent => {
    const v = validateEvent(decoded);
    if (!v.ok) throw new PoisonRecordError(`invalid event: ${v.reason}`);
    return { event: v.event, offset };
  };
  return (message: KafkaMessage): SourcedEvent | Promise<SourcedEvent> => {
    const decoded = decode(message.value);
    return decoded instanceof Promise ? decoded.then((d) => validated(d, message.offset)) : validated(decoded, message.offset);
  };
}
