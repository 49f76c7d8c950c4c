import type { ReadName } from './reads';

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
});
export type CacheKeys = ReturnType<typeof cacheKeys>;
