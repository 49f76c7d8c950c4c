import { isActivityType, validateActivityEvent, type ActivityEvent } from './activity';
import type { DashboardEvent } from './event';
import { validateEvent, type ValidateOptions } from './validate';

/** Anything a way in (HTTP, library, NDJSON) accepts: a dashboard event or app activity. */
export type AnyEvent = DashboardEvent | ActivityEvent;
export type AnyValidation = { ok: true; event: AnyEvent } | { ok: false; reason: string };

/** The ways in judge both families with one call; the event_type decides which rules apply. */
export function validateAnyEvent(input: unknown, opts: ValidateOptions = {}): AnyValidation {
  const type = typeof input === 'object' && input !== null ? (input as { event_type?: unknown }).event_type : undefined;
  return isActivityType(type) ? validateActivityEvent(input, opts) : validateEvent(input, opts);
}
