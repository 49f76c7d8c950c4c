import type { DashboardEvent } from './event';

/** Kafka key of an event: one (star, user)'s events share a partition and keep their order. */
export function eventKey(e: Pick<DashboardEvent, 'star_id' | 'user_id'>): string {
  return `${e.star_id}:${e.user_id}`;
}
