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

/** Which reads an event type can change (for the event's own star and user). */
export const READS_BY_EVENT_TYPE: Readonly<Record<string, readonly ReadName[]>> = {
  'crystal.change': ['today-overview', 'income-curve'],
  'asset.like': ['like-income-by-level', 'top-assets', 'upgrade-progress'],
  'asset.mint': ['exhibition-summary', 'like-income-by-level', 'top-assets', 'level-distribution', 'upgrade-progress'],
  'exhibition.start': ['exhibition-summary'],
  'exhibition.end': ['exhibition-summary', 'upgrade-progress'],
  'exhibition.revenue': ['exhibition-summary', 'top-assets'],
  'asset.level_up': ['like-income-by-level', 'level-distribution', 'upgrade-progress'],
};

/** The app-wide reads of CONTRACT §5 (not per star or user). */
export const APP_READS = ['dau', 'online-count', 'online-history'] as const;
export type AppRead = (typeof APP_READS)[number];
