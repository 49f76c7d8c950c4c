/** The seven dashboard reads; names are the URL path segments and the cache's read names. */
export const READS = [
  'today-overview',
  'income-curve',
  'exhibition-summary',
  'like-income-by-level',
  'top-assets',
  'level-distribution',
  'upgrade-progress',
] as const;
export type ReadName = (typeof READS)[number];

/** The app-wide reads of CONTRACT §5 (not per star or user). */
export const APP_READS = ['dau', 'online-count', 'online-history'] as const;
export type AppRead = (typeof APP_READS)[number];
