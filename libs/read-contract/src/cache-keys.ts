import type { AppRead, ReadName } from './reads';

/**
 * Redis keys shared by the query API (writes answers) and the cache invalidator (bumps
 * generations). A cached answer's key holds the generations it was computed under, so a bump makes
 * every older answer unreachable at once, including one a slow reader writes after the bump.
 * The business date is part of the key: the first read after midnight never sees yesterday's answer.
 */
export const cacheKeys = (prefix: string) => ({
  /** Generation of one read of one (star, user). */
  userGen: (read: ReadName, star: string, user: string) => `${prefix}:gen:${read}:${star}:${user}`,
  /** Generation of every today-overview of a star in a business week (week_total_users). */
  starWeekGen: (star: string, week: string) => `${prefix}:gen:today-overview:${star}:week:${week}`,
  /** Cached answer, before the generation suffix. */
  answer: (read: ReadName, star: string, user: string, date: string) => `${prefix}:ans:${read}:${star}:${user}:${date}`,
  /** Generation of an app-wide read (CONTRACT §5). */
  appGen: (read: AppRead) => `${prefix}:gen:app:${read}`,
  /** Cached app-wide answer for its parameters, before the generation suffix. */
  appAnswer: (read: AppRead, params: string) => `${prefix}:ans:app:${read}:${params}`,
  /** HyperLogLog of a day's active identities (PRESENCE_DAU_MODE=hll), and of a place that day. */
  hllDau: (day: string) => `${prefix}:hll:dau:${day}`,
  hllPlace: (day: string, kind: 'province' | 'city', name: string) => `${prefix}:hll:${kind}:${day}:${name}`,
  /** The names of the places with a HyperLogLog that day (a set). */
  hllPlaces: (day: string, kind: 'province' | 'city') => `${prefix}:hll:${kind}s:${day}`,
  /** Pub/sub channel on which the invalidator announces, after bumping, which reads changed (ReadsChanged[]). */
  changesChannel: `${prefix}:changed`,
});

/**
 * Which reads of which (star, user) just changed — published by the cache invalidator once their
 * generations are bumped, so a page that refetches on it never gets the previous answer.
 * `user: null` means every user of the star (a star-week's today-overview).
 */
export interface ReadsChanged {
  star: string;
  user: string | null;
  reads: ReadName[];
}
export type CacheKeys = ReturnType<typeof cacheKeys>;

/**
 * How long a generation lives after its last write: longer than any answer cached under it
 * (`CACHE_TTL_SECONDS`), so that it cannot expire and be created anew while such an answer exists.
 */
export const generationTtlSeconds = (answerTtlSeconds: number) => 2 * answerTtlSeconds + 60;
