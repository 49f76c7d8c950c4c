/**
 * Thrown by the batch loop when a partition kept failing for longer than it may hold its batch:
 * the consumer pauses that partition for `delayMs` and fetches the same records again after.
 */
export class PartitionBackoffError extends Error {
  constructor(readonly delayMs: number) {
    super(`partition paused for ${delayMs} ms after repeated failures`);
    this.name = 'PartitionBackoffError';
  }
}
