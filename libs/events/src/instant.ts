import { unsafeIntegerReason } from './ids';

/**
 * The one reading of an instant (CONTRACT §1), for every event family, every query parameter and
 * CLOCK_NOW: calendar-valid ISO-8601 with an offset of at most ±14:00, or epoch milliseconds, from
 * 2000-01-01 to 2099-12-31 UTC. Functions answer the epoch ms or a reason to put after the field's
 * name, as parseInt64 does for ids.
 *
 * The ISO form is `YYYY-MM-DDTHH:MM[:SS[.fraction of 1-9 digits]]` then `Z` or `±HH:MM`, read by
 * position: no regex, no Date.parse (it rolls 2026-02-30 over to 2 March, takes any offset up to
 * ±23:59 and RFC 2822 dates), no allocation. `T` and `Z` are upper case only, as every producer of
 * ours writes them; a fraction beyond milliseconds is cut, not rounded (an instant never moves
 * into the next millisecond, or day).
 */

/**
 * What Postgres and the aggregates can hold: business days and partitions of the raw table exist
 * for these years, and a date beyond what JavaScript can hold would stop the income aggregator.
 */
export const MIN_INSTANT = Date.UTC(2000, 0, 1);
/** Exclusive. */
export const MAX_INSTANT = Date.UTC(2100, 0, 1);
/** An event's `occurred_at` at most this far ahead of the way in's clock. */
export const MAX_FUTURE_MS = 24 * 3600 * 1000;

export const NOT_AN_INSTANT = 'must be epoch milliseconds or ISO-8601 with an offset';
export const OUT_OF_RANGE = 'must be from 2000-01-01 to 2099-12-31 (UTC)';
export const TOO_FAR_AHEAD = 'is more than 24 hours in the future';
const NOT_A_DATE = 'is not a calendar date';
const NOT_A_TIME = 'is not a valid time of day';
const BAD_OFFSET = 'offset must be within ±14:00';
const MAX_OFFSET_MINUTES = 14 * 60;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

// Code units.
const DASH = 45;
const COLON = 58;
const DOT = 46;
const PLUS = 43;
const T = 84;
const Z = 90;

/** The digit at i (NaN past the end), or -1. */
function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** Two digits at i as a number, or -1. */
function two(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

const inRange = (ms: number): number | string => (ms >= MIN_INSTANT && ms < MAX_INSTANT ? ms : OUT_OF_RANGE);

/** An ISO-8601 instant with an offset: epoch ms, or why not. */
export function parseIsoInstant(s: string): number | string {
  const len = s.length;
  const c = two(s, 0);
  const y = c < 0 || two(s, 2) < 0 ? -1 : c * 100 + two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const hour = two(s, 11);
  const minute = two(s, 14);
  if (
    len < 17 ||
    y < 0 ||
    s.charCodeAt(4) !== DASH ||
    month < 0 ||
    s.charCodeAt(7) !== DASH ||
    day < 0 ||
    s.charCodeAt(10) !== T ||
    hour < 0 ||
    s.charCodeAt(13) !== COLON ||
    minute < 0
  )
    return NOT_AN_INSTANT;
  let i = 16;
  let second = 0;
  let ms = 0;
  if (s.charCodeAt(i) === COLON) {
    second = two(s, i + 1);
    if (second < 0) return NOT_AN_INSTANT;
    i += 3;
    if (s.charCodeAt(i) === DOT) {
      const start = ++i;
      for (let d = digit(s, i); d >= 0; d = digit(s, ++i)) if (i - start < 3) ms = ms * 10 + d;
      const n = i - start;
      if (n < 1 || n > 9) return NOT_AN_INSTANT;
      for (let k = n; k < 3; k++) ms *= 10;
    }
  }
  let offset = 0;
  const sign = s.charCodeAt(i);
  if (sign === Z) i += 1;
  else if (sign === PLUS || sign === DASH) {
    const oh = two(s, i + 1);
    const om = two(s, i + 4);
    if (oh < 0 || s.charCodeAt(i + 3) !== COLON || om < 0) return NOT_AN_INSTANT;
    i += 6;
    if (om > 59 || oh * 60 + om > MAX_OFFSET_MINUTES) return BAD_OFFSET;
    offset = (sign === PLUS ? 1 : -1) * (oh * 60 + om);
  } else return NOT_AN_INSTANT;
  if (i !== len) return NOT_AN_INSTANT;

  const maxDay = month === 2 && !isLeap(y) ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > maxDay) return NOT_A_DATE;
  if (hour > 23 || minute > 59 || second > 59) return NOT_A_TIME;
  // Date.UTC reads years 0-99 as 1900-1999; the range is decided before it could matter.
  if (y < 1999 || y > 2100) return OUT_OF_RANGE;
  return inRange(Date.UTC(y, month - 1, day, hour, minute, second, ms) - offset * 60_000);
}

/** Epoch milliseconds as a JSON number: a safe integer within the range. */
export function parseEpochMs(n: number): number | string {
  return unsafeIntegerReason(n) ?? inRange(n);
}

/**
 * The JSON way in (events): a number is epoch ms, a string ISO-8601 with an offset (a string of
 * digits is refused, as it always was: JSON has numbers for that), a bigint (library callers,
 * decoded Avro) epoch ms, returned as the same bigint so the consumers make none.
 */
export function parseInstant(value: unknown): number | bigint | string {
  if (typeof value === 'string') return parseIsoInstant(value);
  if (typeof value === 'number') return parseEpochMs(value);
  if (typeof value === 'bigint') return value >= MIN_INSTANT && value < MAX_INSTANT ? value : OUT_OF_RANGE;
  return value === undefined ? 'is required' : NOT_AN_INSTANT;
}

/**
 * A query parameter (or setting), where everything is text: epoch ms as decimal digits, else
 * ISO-8601 with an offset.
 */
export function parseInstantText(s: string): number | string {
  const len = s.length;
  if (len === 0 || len > 16) return len === 0 ? NOT_AN_INSTANT : parseIsoInstant(s);
  for (let i = 0; i < len; i++) if (digit(s, i) < 0) return parseIsoInstant(s);
  return inRange(Number(s));
}
