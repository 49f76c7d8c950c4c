import { EVENT_TYPES, LEVELS, levelIndex, type EventType } from '@fan/schemas';
import type { DashboardEvent, PropertiesByType } from './event';
import { parseInt64, parseInteger, unsafeIntegerReason } from './ids';
import { MAX_FUTURE_MS, MAX_INSTANT, MIN_INSTANT, TOO_FAR_AHEAD, parseInstant } from './instant';
import { malformedUnicodeReason } from './well-formed';

/**
 * One validator for every way in (HTTP JSON, the producer library, decoded Avro records), so that
 * an event is judged the same wherever it enters. Reasons always start with the field's path.
 */
export type Validation = { ok: true; event: DashboardEvent } | { ok: false; reason: string };

export interface ValidateOptions {
  /** Epoch ms used for the "at most 24 h in the future" rule; omit to skip that rule (consumers). */
  now?: number;
}

const MAX_PROPERTIES_BYTES = 1024;
/**
 * What Postgres and the aggregates can hold: amounts within ±(2^53 − 1) (exact as JSON numbers in
 * every read, and a day's or week's sum of them cannot leave 64 bits below 1024 such events — a sum
 * that does is a Postgres data exception, dead-lettered). Instants: see ./instant (shared with the
 * activity events; a date beyond what JavaScript can hold would stop the income aggregator).
 */
export const MAX_AMOUNT = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_AMOUNT = -MAX_AMOUNT;
export const MIN_OCCURRED_AT = MIN_INSTANT;
export const MAX_OCCURRED_AT = MAX_INSTANT;
const TYPE_SET = new Set<string>(EVENT_TYPES);
const LEVEL_SET = new Set<string>(LEVELS);

type FieldKind = 'id' | 'amount' | 'nonneg' | 'level' | 'string';
// Typed against the Avro-generated PropertiesByType: a field added to or removed from a schema and
// not here (or the other way round) fails to compile.
const PROPERTY_FIELDS: { readonly [T in EventType]: { readonly [K in keyof PropertiesByType[T]]: FieldKind } } = {
  'asset.like': { asset_id: 'id', liker_user_id: 'id', amount: 'nonneg' },
  'asset.mint': { asset_id: 'id', level: 'level', asset_name: 'string', asset_thumb: 'string' },
  'exhibition.start': { asset_id: 'id', slot_id: 'id' },
  'exhibition.end': { asset_id: 'id', slot_id: 'id', duration_ms: 'nonneg' },
  'exhibition.revenue': { asset_id: 'id', amount: 'nonneg', duration_ms: 'nonneg' },
  'asset.level_up': { asset_id: 'id', from_level: 'level', to_level: 'level' },
  'crystal.change': { amount: 'amount', balance_after: 'amount', reason: 'string' },
};

// Built once: (name, kind, path) of each type's properties, so validation allocates no field lists.
const SPEC_ENTRIES = {} as Record<EventType, ReadonlyArray<readonly [string, FieldKind, string]>>;
for (const t of EVENT_TYPES)
  SPEC_ENTRIES[t] = Object.entries(PROPERTY_FIELDS[t]).map(([name, kind]) => [name, kind, `properties.${name}`] as const);

class Invalid extends Error {}
const fail = (reason: string): never => {
  throw new Invalid(reason);
};

function field(kind: FieldKind, path: string, value: unknown): bigint | string {
  switch (kind) {
    case 'id': {
      const r = parseInt64(value);
      return typeof r === 'string' ? fail(`${path} ${r}`) : r;
    }
    case 'amount':
    case 'nonneg': {
      // The JSON way in: a safe integer is within ±MAX_AMOUNT by definition, so the checks are on
      // the number and one bigint is made at the end (bigint comparisons are runtime calls).
      if (typeof value === 'number') {
        const unsafe = unsafeIntegerReason(value);
        if (unsafe) return fail(`${path} ${unsafe}`);
        if (kind === 'nonneg' && value < 0) fail(`${path} must be >= 0`);
        return BigInt(value);
      }
      const r = parseInteger(value);
      if (typeof r === 'string') return fail(`${path} ${r}`);
      if (kind === 'nonneg' && r < 0n) fail(`${path} must be >= 0`);
      if (r > MAX_AMOUNT || r < MIN_AMOUNT) fail(`${path} must be within ±${MAX_AMOUNT} (2^53 - 1)`);
      return r;
    }
    case 'level':
      if (typeof value !== 'string') return fail(`${path} ${value === undefined ? 'is required' : 'must be a string'}`);
      return LEVEL_SET.has(value) ? value : fail(`${path} must be one of ${LEVELS.join(', ')}`);
    case 'string':
      if (typeof value !== 'string') return fail(`${path} ${value === undefined ? 'is required' : 'must be a string'}`);
      // Postgres text cannot hold U+0000: such a record would be refused by every store downstream.
      if (value.includes('\u0000')) fail(`${path} must not contain NUL (U+0000)`);
      return wellFormed(path, value);
  }
}

/** Avro writes a lone surrogate as U+FFFD: two different strings would become one. */
function wellFormed(path: string, value: string): string {
  const bad = malformedUnicodeReason(value);
  return bad === undefined ? value : fail(`${path} ${bad}`);
}

/** The one reading of an instant (./instant), shared with the activity events; the future rule is the way in's. */
function occurredAt(value: unknown, now: number | undefined): bigint {
  const r = parseInstant(value);
  if (typeof r === 'string') return fail(`occurred_at ${r}`);
  if (now !== undefined && r > now + MAX_FUTURE_MS) fail(`occurred_at ${TOO_FAR_AHEAD}`);
  return typeof r === 'bigint' ? r : BigInt(r);
}

function byteLength(properties: object): number {
  let json: string;
  try {
    json = JSON.stringify(properties, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } catch {
    // A cycle (or a throwing toJSON) from a library caller: the event's fault, not a crash.
    return fail('properties must be plain JSON data (no cycles)');
  }
  return Buffer.byteLength(json);
}

/**
 * An upper bound of the properties' JSON size, so that the exact size (a JSON.stringify per event,
 * the validator's largest cost on the consumers' hot path) is computed only for events near the
 * limit. A UTF-16 unit never takes more than 6 bytes in JSON (\u001f), a 64-bit integer 23.
 */
function fitsWithoutMeasuring(props: Record<string, unknown>, fields: (typeof SPEC_ENTRIES)[EventType]): boolean {
  let bound = 2;
  for (const [key] of fields) {
    const v = props[key];
    if (v === undefined) continue;
    bound += key.length + 4;
    if (typeof v === 'string') bound += v.length * 6 + 2;
    else if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') bound += 26;
    else return false;
  }
  return bound <= MAX_PROPERTIES_BYTES;
}

function check(input: unknown, opts: ValidateOptions): DashboardEvent {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail('event must be a JSON object');
  const o = input as Record<string, unknown>;
  const type = o.event_type;
  if (typeof type !== 'string' || !TYPE_SET.has(type)) fail(`event_type must be one of ${EVENT_TYPES.join(', ')}`);
  const eventType = type as EventType;

  const id = o.event_id;
  if (typeof id !== 'string' || id.length < 1 || id.length > 64) fail('event_id must be a string of 1-64 characters');
  if ((id as string).includes('\u0000')) fail('event_id must not contain NUL (U+0000)');
  wellFormed('event_id', id as string);
  const user_id = field('id', 'user_id', o.user_id) as bigint;
  const star_id = field('id', 'star_id', o.star_id) as bigint;
  // The dashboard reads take a positive star_id only: an event for 0 or below could never be read.
  if (star_id <= 0n) fail('star_id must be a positive 64-bit decimal integer');
  const occurred_at = occurredAt(o.occurred_at, opts.now);

  const p = o.properties;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) fail('properties must be a JSON object');
  const props = p as Record<string, unknown>;
  const spec = PROPERTY_FIELDS[eventType];
  // Own keys only: `key in spec` let constructor, __proto__ and toString through.
  for (const key of Object.keys(props)) if (!Object.hasOwn(spec, key)) fail(`properties.${key} is not a field of ${eventType}`);
  // Unknown keys were refused above, so the type's own fields are all the object holds.
  if (!fitsWithoutMeasuring(props, SPEC_ENTRIES[eventType]) && byteLength(props) > MAX_PROPERTIES_BYTES)
    fail(`properties exceed ${MAX_PROPERTIES_BYTES} bytes`);
  const out: Record<string, bigint | string> = {};
  for (const [name, kind, path] of SPEC_ENTRIES[eventType]) out[name] = field(kind, path, props[name]);
  if (eventType === 'asset.level_up' && levelIndex(out.to_level as string) <= levelIndex(out.from_level as string)) {
    fail('properties.to_level must be above properties.from_level');
  }
  return { event_id: id as string, event_type: eventType, user_id, star_id, occurred_at, properties: out } as DashboardEvent;
}

export function validateEvent(input: unknown, opts: ValidateOptions = {}): Validation {
  try {
    return { ok: true, event: check(input, opts) };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, reason: err.message };
    throw err;
  }
}
