import type { EventType } from '@fan/schemas';

/** Fields every event carries. All 64-bit quantities are bigint (see ids.ts). */
export interface EventBase {
  event_id: string;
  user_id: bigint;
  star_id: bigint;
  /** Epoch milliseconds. */
  occurred_at: bigint;
}

export interface PropertiesByType {
  'asset.like': { asset_id: bigint; liker_user_id: bigint; amount: bigint };
  'asset.mint': { asset_id: bigint; level: string; asset_name: string; asset_thumb: string };
  'exhibition.start': { asset_id: bigint; slot_id: bigint };
  'exhibition.end': { asset_id: bigint; slot_id: bigint; duration_ms: bigint };
  'exhibition.revenue': { asset_id: bigint; amount: bigint; duration_ms: bigint };
  'asset.level_up': { asset_id: bigint; from_level: string; to_level: string };
  'crystal.change': { amount: bigint; balance_after: bigint; reason: string };
}

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
