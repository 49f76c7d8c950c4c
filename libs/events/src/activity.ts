import { ACTIVITY_TYPES, type ActivityType } from '@fan/schemas';
import type { ActivityBase, ActivityPropertiesByType } from './generated/event-types';
import { parseInt64 } from './ids';
import { MAX_FUTURE_MS, TOO_FAR_AHEAD, parseInstant } from './instant';
import type { ValidateOptions } from './validate';
import { malformedUnicodeReason } from './well-formed';

/**
 * App activity (CONTRACT §5): session starts and ends and heartbeats of an app install, app-wide
 * (no star). The identity is the signed-in user, else the install.
 */
export type ActivityEvent = {
  [T in ActivityType]: ActivityBase & { event_type: T; properties: ActivityPropertiesByType[T] };
}[ActivityType];

/** One of the three activity types. */
export const isActivityType = (t: unknown): t is ActivityType => typeof t === 'string' && (ACTIVITY_TYPES as readonly string[]).includes(t);

/** `user_id` when signed in, else `install:<install_id>`: one identity's events share a partition. */
export const identityOf = (e: Pick<ActivityEvent, 'user_id' | 'install_id'>): string =>
  e.user_id !== null ? e.user_id.toString() : `install:${e.install_id}`;

const OPTIONAL_TEXT: { readonly [T in ActivityType]: readonly (keyof ActivityPropertiesByType[T])[] } = {
  'app.session_start': ['os', 'os_version', 'app_version', 'network_type', 'province', 'city'],
  'app.session_end': [],
  'presence.heartbeat': ['app_version'],
};

export type ActivityValidation = { ok: true; event: ActivityEvent } | { ok: false; reason: string };

const text = (v: unknown, path: string, min: number): string | { reason: string } => {
  if (typeof v !== 'string') return { reason: `${path} ${v === undefined ? 'is required' : 'must be a string'}` };
  if (v.length < min || v.length > 64) return { reason: `${path} must be a string of ${min}-64 characters` };
  if (v.includes('\u0000')) return { reason: `${path} must not contain NUL (U+0000)` };
  // Avro writes a lone surrogate as U+FFFD: two different ids would become one.
  const bad = malformedUnicodeReason(v);
  return bad === undefined ? v : { reason: `${path} ${bad}` };
};

/** The same rules as the dashboard events (ids, instants, NUL, unknown fields), reasons naming the field. */
export function validateActivityEvent(input: unknown, opts: ValidateOptions = {}): ActivityValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, reason: 'event must be a JSON object' };
  const o = input as Record<string, unknown>;
  if (!isActivityType(o.event_type)) return { ok: false, reason: `event_type must be one of ${ACTIVITY_TYPES.join(', ')}` };
  const type = o.event_type;
  const id = text(o.event_id, 'event_id', 1);
  if (typeof id !== 'string') return { ok: false, ...id };
  const install = text(o.install_id, 'install_id', 1);
  if (typeof install !== 'string') return { ok: false, ...install };
  let user: bigint | null = null;
  if (o.user_id !== undefined && o.user_id !== null) {
    const u = parseInt64(o.user_id);
    if (typeof u === 'string' || u <= 0n) return { ok: false, reason: 'user_id must be a positive 64-bit decimal integer when present' };
    user = u;
  }
  if ('star_id' in o) return { ok: false, reason: `star_id is not a field of ${type} (app activity is app-wide)` };
  // The same instant rules as the dashboard events (validate.ts): one reading for every family.
  const r = parseInstant(o.occurred_at);
  if (typeof r === 'string') return { ok: false, reason: `occurred_at ${r}` };
  if (opts.now !== undefined && r > opts.now + MAX_FUTURE_MS) return { ok: false, reason: `occurred_at ${TOO_FAR_AHEAD}` };
  const at = typeof r === 'bigint' ? r : BigInt(r);
  const p = o.properties ?? {};
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return { ok: false, reason: 'properties must be a JSON object' };
  const allowed = OPTIONAL_TEXT[type] as readonly string[];
  const props: Record<string, string | null> = {};
  for (const key of Object.keys(p)) if (!allowed.includes(key)) return { ok: false, reason: `properties.${key} is not a field of ${type}` };
  for (const key of allowed) {
    const v = (p as Record<string, unknown>)[key];
    if (v === undefined || v === null) props[key] = null;
    else {
      const t = text(v, `properties.${key}`, 0);
      if (typeof t !== 'string') return { ok: false, ...t };
      props[key] = t;
    }
  }
  return {
    ok: true,
    event: { event_id: id, event_type: type, install_id: install, user_id: user, occurred_at: at, properties: props } as ActivityEvent,
  };
}
