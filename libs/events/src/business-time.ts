/**
 * Days and weeks are calendar days in the business time zone, decided by occurred_at.
 * Formatters are built once per zone: Intl construction is far costlier than formatting.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(tz, f);
  }
  return f;
}

/** 'YYYY-MM-DD' of an instant in the zone. Throws RangeError for an unknown zone. */
export function businessDate(epochMs: number | bigint, tz: string): string {
  return formatter(tz).format(new Date(Number(epochMs)));
}

/** Adds days to a 'YYYY-MM-DD' calendar date (no time zone involved). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
