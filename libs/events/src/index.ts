// The event model: pure (no I/O). Avro, the registry and Kafka live in @fan/event-codec.
export { compareEventIds, parseInt64, parsePositiveId, parseInteger, INT64_MAX, INT64_MIN } from './ids';
export { eventToJson, type DashboardEvent, type EventBase, type EventOf, type PropertiesByType, type SourcedEvent } from './event';
export { validateEvent, MAX_AMOUNT, MAX_OCCURRED_AT, MIN_OCCURRED_AT, type Validation, type ValidateOptions } from './validate';
export { parseInstant, parseInstantText, parseIsoInstant, MAX_INSTANT, MIN_INSTANT } from './instant';
export { loneSurrogateIndex } from './well-formed';
export { eventKey } from './event-key';
export { addDays, businessDate } from './business-time';
export { identityOf, isActivityType, validateActivityEvent, type ActivityEvent, type ActivityValidation } from './activity';
export { validateAnyEvent, type AnyEvent, type AnyValidation } from './any-event';
export type { ActivityBase, ActivityPropertiesByType } from './generated/event-types';
export type { ActivityType, AnyType, EventType } from '@fan/schemas';
