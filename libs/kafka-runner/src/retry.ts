/** Thrown when a retry loop gives up because the process is shutting down. */
export class StopRequestedError extends Error {
  readonly retriable = false;
  constructor() {
    super('stop requested while retrying');
    this.name = 'StopRequestedError';
  }
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
