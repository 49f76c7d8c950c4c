/** The pipeline's BUSINESS_TZ: the app-wide panel's business days unless ?tz= names another zone. */
export const BUSINESS_TZ = 'Asia/Shanghai';

// What the notice repeats of a refused value: enough to recognise it, never a wall of text.
const SHOWN_MAX = 40;

export interface ZoneChoice {
  /** The IANA zone the page uses. */
  zone: string;
  /** The ?tz= value that was not a zone (cut to 40 characters), when there was one. */
  rejected?: string;
}

/**
 * The zone of ?tz=, or the business zone when it is absent or not a zone Intl knows — an unknown
 * zone makes Intl.DateTimeFormat throw a RangeError, which left the page blank. Pure: Intl only.
 */
export function pickZone(requested: string | null, fallback = BUSINESS_TZ): ZoneChoice {
  const wanted = requested?.trim();
  if (!wanted) return { zone: fallback };
  try {
    // resolvedOptions gives the canonical spelling ("asia/tokyo" → "Asia/Tokyo").
    return { zone: new Intl.DateTimeFormat('en', { timeZone: wanted }).resolvedOptions().timeZone };
  } catch {
    return { zone: fallback, rejected: wanted.length > SHOWN_MAX ? `${wanted.slice(0, SHOWN_MAX)}…` : wanted };
  }
}

/** Fills {name} placeholders of a text. */
export const fill = (text: string, values: Readonly<Record<string, string>>): string =>
  text.replace(/\{(\w+)\}/g, (all, k: string) => values[k] ?? all);
