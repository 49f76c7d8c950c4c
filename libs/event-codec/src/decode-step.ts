import type { KafkaMessage } from 'kafkajs';
import { validateActivityEvent, validateEvent, type ActivityEvent, type AnyEvent, type SourcedEvent } from '@fan/events';
import { PoisonRecordError } from '@fan/failures';
import { createDecoder, type Decoder } from './codec';
import { createRegistry, registryHealthCheck } from './registry';

/**
 * decode → validate. Avro guarantees types, not the contract's ranges (amount >= 0, known levels,
 * event_id length), so the same validator as the ways in runs here; the 24-hour future rule does
 * not, because it depends on the producer's clock at publish time. The decode step every consumer
 * of the events topic starts with; synchronous unless a schema must be fetched. A record of
 * another family (app activity) is poison here.
 */
export function decodeEventStep(decode: Decoder) {
  const validated = (decoded: AnyEvent, offset: string): SourcedEvent => {
    const v = validateEvent(decoded);
    if (!v.ok) throw new PoisonRecordError(`invalid event: ${v.reason}`);
    return { event: v.event, offset };
  };
  return (message: KafkaMessage): SourcedEvent | Promise<SourcedEvent> => {
    const decoded = decode(message.value);
    return decoded instanceof Promise ? decoded.then((d) => validated(d, message.offset)) : validated(decoded, message.offset);
  };
}

/**
 * What every consumer of the events topic starts with: the decode step (registry-backed) and the
 * registry's health check.
 */
export function eventDecoding(registryUrl: string) {
  return {
    decode: decodeEventStep(createDecoder(createRegistry(registryUrl))),
    health: { registry: registryHealthCheck(registryUrl) },
  };
}

/** The activity topic's decode step: the same, with the activity rules (CONTRACT §5). */
export function decodeActivityStep(decode: Decoder) {
  const validated = (decoded: AnyEvent): ActivityEvent => {
    const v = validateActivityEvent(decoded);
    if (!v.ok) throw new PoisonRecordError(`invalid activity event: ${v.reason}`);
    return v.event;
  };
  return (message: KafkaMessage): ActivityEvent | Promise<ActivityEvent> => {
    const decoded = decode(message.value);
    return decoded instanceof Promise ? decoded.then(validated) : validated(decoded);
  };
}
