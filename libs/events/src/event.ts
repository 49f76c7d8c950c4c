import type { EventType } from '@fan/schemas';

// EventBase and PropertiesByType are rendered from schemas/avro (npm run schemas:types), so the
// TypeScript and Avro shapes of an event cannot drift apart.
import type { EventBase, PropertiesByType } from './generated/event-types';
export type { EventBase, PropertiesByType };

export type DashboardEvent = {
  [T in EventType]: EventBase & { event_type: T; properties: PropertiesByType[T] };
}[EventType];

/** A decoded, validated event and where it came from (kept in the raw row for tracing). */
export interface SourcedEvent {
  event: DashboardEvent;
  offset: string;
}

export type EventOf<T extends EventType> = Extract<DashboardEvent, { event_type: T }>;

/** JSON form of an event (CONTRACT §1): ids as decimal strings, amounts as numbers. */
export function eventToJson(e: DashboardEvent): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(e, (key, v: unknown) => {
      if (typeof v !== 'bigint') return v;
      return key.endsWith('_id') ? v.toString() : Number(v);
    }),
  ) as Record<string, unknown>;
}
