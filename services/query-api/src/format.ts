/**
 * An exact integer of an answer: a number while it is a safe integer (the usual case, and what
 * JSON.stringify writes), a bigint beyond (answer-json.ts writes its digits). Stored sums are exact
 * integers of any size (migrations/sql/0010_exact_sums.sql), so no read may round one.
 */
export type Exact = number | bigint;

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** A bigint as an Exact: back to a number when that is exact. */
const exact = (b: bigint): Exact => (b <= MAX && b >= -MAX ? Number(b) : b);

/**
 * A Postgres integer (bigint or numeric as text; a number from an ::int column) as an Exact; null
 * (no row, a sum of nothing) is 0.
 */
export function num(v: string | number | null | undefined): Exact {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  // Up to 15 characters (sign included) is always below 2^53: no bigint on the usual path.
  if (v.length <= 15) return Number(v);
  return exact(BigInt(v));
}

/** a + b, exact. */
export function add(a: Exact, b: Exact): Exact {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (Number.isSafeInteger(s)) return s;
  }
  return exact(BigInt(a) + BigInt(b));
}

/** floor(a / d) for a positive integer d, exact (a safe integer's quotient is floored exactly). */
export function floorDiv(a: Exact, d: number): Exact {
  if (typeof a === 'number') return Math.floor(a / d);
  const n = BigInt(d);
  const q = a / n; // truncates towards zero
  return exact(a < 0n && q * n !== a ? q - 1n : q);
}

/** "<hours>h<minutes, two digits>m" of whole non-negative seconds, e.g. 0h00m, 3h05m, 51h40m. */
export function durationText(seconds: Exact): string {
  if (typeof seconds === 'bigint') {
    const m = (seconds % 3600n) / 60n;
    return `${seconds / 3600n}h${m < 10n ? '0' : ''}${m}m`;
  }
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${h}h${m < 10 ? '0' : ''}${m}m`;
}
