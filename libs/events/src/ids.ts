/**
 * 64-bit ids never pass through a JavaScript number: they are parsed from decimal strings (or safe
 * integer numbers) straight into bigint and checked against the signed 64-bit range.
 */
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
const NOT_DECIMAL = 'must be a decimal 64-bit integer';

/**
 * A decimal string as `-?(0|[1-9][0-9]{0,19})`, without a regex: up to 15 digits the value is
 * summed exactly in a double and made a bigint from that (ingest parses three ids per event, and a
 * regex test plus BigInt(string) was its largest validation cost); longer ones go through BigInt.
 */
function parseDecimal(s: string): bigint | string {
  const len = s.length;
  const start = len > 0 && s.charCodeAt(0) === 45 ? 1 : 0;
  const digits = len - start;
  if (digits < 1 || digits > 20 || (digits > 1 && s.charCodeAt(start) === 48)) return NOT_DECIMAL;
  let v = 0;
  for (let i = start; i < len; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NOT_DECIMAL;
    v = v * 10 + d;
  }
  if (digits <= 15) return BigInt(start === 1 ? -v : v);
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? 'is outside the signed 64-bit range' : n;
}

/** Returns the bigint, or a short reason why the value is not a signed 64-bit integer. */
export function parseInt64(value: unknown): bigint | string {
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'string') return parseDecimal(value);
  else if (typeof value === 'number') {
    // An unsafe number was already rounded by JSON.parse; refusing it is the only honest answer.
    if (!Number.isSafeInteger(value)) return 'must be a decimal string (numbers only when a safe integer)';
    n = BigInt(value);
  } else return value === undefined ? 'is required' : NOT_DECIMAL;
  if (n < INT64_MIN || n > INT64_MAX) return 'is outside the signed 64-bit range';
  return n;
}

/** A positive 64-bit decimal, as the dashboard reads require for star_id and the token's sub. */
export function parsePositiveId(value: unknown): bigint | undefined {
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,18}$/.test(value)) return undefined;
  const n = BigInt(value);
  return n <= INT64_MAX ? n : undefined;
}

/** Why a JSON number is not an exact integer, or undefined when it is (a safe integer). */
export function unsafeIntegerReason(value: number): string | undefined {
  if (Number.isSafeInteger(value)) return undefined;
  return Number.isInteger(value) ? 'is too large' : 'must be an integer';
}

/** Integers that are JSON numbers on the way in and out (amounts, counts, durations). */
export function parseInteger(value: unknown): bigint | string {
  if (typeof value === 'bigint') return value >= INT64_MIN && value <= INT64_MAX ? value : 'is outside the signed 64-bit range';
  if (typeof value === 'number') return unsafeIntegerReason(value) ?? BigInt(value);
  return value === undefined ? 'is required' : 'must be an integer number';
}

/**
 * The one order of event ids, used for "latest" tie-breaks in JavaScript and in Postgres alike:
 * UTF-8 byte order (= code point order; Postgres `COLLATE "C"`). JavaScript's `<` compares UTF-16
 * code units, which puts characters above U+FFFF before U+E000..U+FFFF; a surrogate code unit
 * therefore sorts after any other unit it differs from. Allocates nothing.
 */
export function compareEventIds(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
