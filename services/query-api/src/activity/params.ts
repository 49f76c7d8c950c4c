/** Parameters of the app-wide reads (CONTRACT §5); a bad one is the client's mistake: 400 with why. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_DAYS = 92;
const MAX_POINTS = 1440;
export const WINDOW_SECONDS = 180;
const INTERVALS: Record<string, number> = { '1m': 60_000, '5m': 300_000, '1h': 3_600_000 };

function date(v: unknown, name: string): Parsed<string> {
  if (typeof v !== 'string') return { ok: false, message: `${name} is required (YYYY-MM-DD)` };
  const m = DATE.exec(v);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !d || d.toISOString().slice(0, 10) !== v) return { ok: false, message: `${name} must be a calendar date YYYY-MM-DD` };
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

function instant(v: unknown, name: string): Parsed<number> {
  if (typeof v !== 'string' || !/(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v)))
    return { ok: false, message: `${name} must be ISO-8601 with an offset` };
  return { ok: true, value: Date.parse(v) };
}

/** The epoch-aligned multiples of interval in (from, to], at most 1,440. */
export function historyPoints(q: Record<string, unknown>): Parsed<number[]> {
  const f = instant(q.from, 'from');
  if (!f.ok) return f;
  const t = instant(q.to, 'to');
  if (!t.ok) return t;
  const step = INTERVALS[typeof q.interval === 'string' ? q.interval : ''];
  if (step === undefined) return { ok: false, message: 'interval must be one of 1m, 5m, 1h' };
  if (t.value <= f.value) return { ok: false, message: 'to must be after from' };
  const first = Math.floor(f.value / step) * step + step;
  const count = t.value >= first ? Math.floor((t.value - first) / step) + 1 : 0;
  if (count > MAX_POINTS) return { ok: false, message: `at most ${MAX_POINTS} points per request, asked for ${count}` };
  return { ok: true, value: Array.from({ length: count }, (_, i) => first + i * step) };
}
