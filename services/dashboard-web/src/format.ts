/**
 * Locale formatting of the page (zh-CN and en): numbers, dates, times and durations. Pure: the
 * formatters are built once per locale and reused.
 */
export type Locale = 'zh-CN' | 'en';

export function pickLocale(requested: string | null | undefined, browser: readonly string[]): Locale {
  const first = (requested ?? browser[0] ?? 'en').toLowerCase();
  return first.startsWith('zh') ? 'zh-CN' : 'en';
}

export interface Formatters {
  locale: Locale;
  int: (n: number) => string;
  compact: (n: number) => string;
  /** 'YYYY-MM-DD' (a business date) → short day label, without time-zone shifts. */
  day: (date: string) => string;
  /** Epoch ms → date and time in the viewer's zone. */
  dateTime: (ms: number) => string;
  /** Epoch ms → hour and minute in the viewer's zone. */
  time: (ms: number) => string;
  /** Seconds → "3h 05m" / "3小时05分". */
  duration: (seconds: number) => string;
  percent: (n: number) => string;
}

const cache = new Map<Locale, Formatters>();

export function formatters(locale: Locale): Formatters {
  const hit = cache.get(locale);
  if (hit) return hit;
  const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const day = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', weekday: 'short', timeZone: 'UTC' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const f: Formatters = {
    locale,
    int: (n) => int.format(n),
    compact: (n) => (Math.abs(n) < 10_000 ? int.format(n) : compact.format(n)),
    day: (date) => day.format(new Date(`${date}T00:00:00Z`)),
    dateTime: (ms) => dateTime.format(new Date(ms)),
    time: (ms) => time.format(new Date(ms)),
    duration: (seconds) => {
      const h = Math.floor(seconds / 3600);
      const m = Math.floor((seconds % 3600) / 60);
      const mm = String(m).padStart(2, '0');
      return locale === 'zh-CN' ? `${int.format(h)}小时${mm}分` : `${int.format(h)}h ${mm}m`;
    },
    percent: (n) => `${Math.round(n)}%`,
  };
  cache.set(locale, f);
  return f;
}
