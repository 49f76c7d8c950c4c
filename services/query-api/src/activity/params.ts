import { MAX_INSTANT, MIN_INSTANT, parseInstantText } from '@fan/events';

/** Parameters of the app-wide reads (CONTRACT §5); a bad one is the client's mistake: 400 with why. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_DAYS = 92;
const MAX_POINTS = 1440;
export const WINDOW_SECONDS = 180;
// A Map, not an object literal: `interval=constructor` (or __proto__, toString) found a prototype
// member there and answered 200 with no points.
const INTERVALS: ReadonlyMap<string, number> = new Map([
  ['1m', 60_000],
  ['5m', 300_000],
  ['1h', 3_600_000],
]);
// The business days an event can fall on (instants 2000..2099 UTC, CONTRACT §1, seen from any
// zone within ±14 h): a date outside them holds nothing, and Postgres refuses some (year 0000).
const DAY_MS = 86_400_000;
const FIRST_DAY = new Date(MIN_INSTANT - DAY_MS).toISOString().slice(0, 10);
const LAST_DAY = new Date(MAX_INSTANT).toISOString().slice(0, 10);

function date(v: unknown, name: string): Parsed<string> {
  if (typeof v !== 'string') return { ok: false, message: `${name} is required (YYYY-MM-DD)` };
  const m = DATE.exec(v);
  if (!m) return { ok: false, message: `${name} must be a calendar date YYYY-MM-DD` };
  // Compared as text (YYYY-MM-DD sorts as dates); Date.UTC below then never sees years 0-99.
  if (v < FIRST_DAY || v > LAST_DAY) return { ok: false, message: `${name} must be from ${FIRST_DAY} to ${LAST_DAY}` };
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== v) return { ok: false, message: `${name} must be a calendar date YYYY-MM-DD` };
  return { ok: true, value: v };
}

/** start_date..end_date inclusive, at most 92 days, oldest first. */
export function dauRange(q: Record<string, unknown>): Parsed<string[]> {
  const s = date(q.start_date, 'start_date');
  if (!s.ok) return s;
  const e = date(q.end_date, 'end_date');
  if (!e.ok) return e;
  const from = Date.parse(`${s.value}T00:00:00Z`);
  const to = Date.parse(`${e.value}T00:00:00Z`);
  if (to < from) return { ok: false, message: 'end_date is before start_date' };
  const n = (to - from) / 86_400_000 + 1;
  if (n > MAX_DAYS) return { ok: false, message: `at most ${MAX_DAYS} days per request, asked for ${n}` };
  return { ok: true, value: Array.from({ length: n }, (_, i) => new Date(from + i * 86_400_000).toISOString().slice(0, 10)) };
}

/** The one instant parser of every event family (CONTRACT §1): ISO-8601 with an offset, or epoch ms. */
function instant(v: unknown, name: string): Parsed<number> {
  if (typeof v !== 'string') return { ok: false, message: `${name} is required (ISO-8601 with an offset)` };
  const r = parseInstantText(v);
  return typeof r === 'number' ? { ok: true, value: r } : { ok: false, message: `${name} ${r}` };
}

/** The epoch-aligned multiples of interval in (from, to], at most 1,440. */
export function historyPoints(q: Record<string, unknown>): Parsed<number[]> {
  const f = instant(q.from, 'from');
  if (!f.ok) return f;
  const t = instant(q.to, 'to');
  if (!t.ok) return t;
  const step = typeof q.interval === 'string' ? INTERVALS.get(q.interval) : undefined;
  if (step === undefined) return { ok: false, message: 'interval must be one of 1m, 5m, 1h' };
  if (t.value <= f.value) return { ok: false, message: 'to must be after from' };
  const first = Math.floor(f.value / step) * step + step;
  const count = t.value >= first ? Math.floor((t.value - first) / step) + 1 : 0;
  if (count > MAX_POINTS) return { ok: false, message: `at most ${MAX_POINTS} points per request, asked for ${count}` };
  return { ok: true, value: Array.from({ length: count }, (_, i) => first + i * step) };
}
