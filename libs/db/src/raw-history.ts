/**
 * Names shared by the raw sink (which expires day partitions) and the aggregators (which fold them
 * into history before they are dropped); migrations/sql/0011_raw_history.sql made them.
 */
export const RAW_HISTORY = {
  /** Schema of detached, expired raw tables waiting to be folded and dropped. */
  expiredSchema: 'raw_expired',
  /** Schema holding a copy of every rebuildable aggregate table, computed from folded rows only. */
  historySchema: 'history',
  /** Advisory lock held while partitions are created, expired or dropped, and by a rebuild. */
  maintenanceLock: 727_002,
} as const;
