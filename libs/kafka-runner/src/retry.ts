/** Thrown when a retry loop gives up because the process is shutting down. */
export class StopRequestedError extends Error {
  readonly retriable = false;
  constructor() {
    super('stop requested while retrying');
    this.name = 'StopRequestedError';
  }
}

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

/** Jittered exponential backoff: about 100 ms at the first attempt, at most 10 s. */
export function backoffDelay(attempt: number, initialMs = 100, maxMs = 10_000): number {
  return Math.round(Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 20)) * (0.5 + Math.random() / 2));
}

export interface RetryOptions {
  /** Retrying ends (with StopRequestedError) once this returns false. */
  isRunning: () => boolean;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Called before each wait; a place to log, count and heartbeat. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void | Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Retries `fn` with jittered exponential backoff for as long as the process runs, unless the error
 * says `retriable: false`. Consumers use it for Postgres and registry outages: they wait for the
 * dependency instead of crash-looping, and never commit past work that did not happen.
 */
export async function retryUntilStopped<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const initial = opts.initialDelayMs ?? 100;
  const max = opts.maxDelayMs ?? 10_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if ((err as { retriable?: boolean }).retriable === false) throw err;
      if (!opts.isRunning()) throw new StopRequestedError();
      const delay = Math.min(max, initial * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      await opts.onRetry?.(err, attempt, Math.round(delay));
      await sleep(delay);
      if (!opts.isRunning()) throw new StopRequestedError();
    }
  }
}
