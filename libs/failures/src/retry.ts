import { declaredFault, StopRequestedError } from './fault';

/** Jittered exponential backoff: `initialMs` at the first attempt (±50 %), doubling, at most `maxMs`. */
export function backoffDelay(attempt: number, initialMs = 100, maxMs = 10_000): number {
  return Math.round(Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 20)) * (0.5 + Math.random() / 2));
}

export interface RetryOptions {
  /** Whether this error is worth another attempt (default: it does not declare itself poison or fatal). */
  retryable?: (err: unknown) => boolean;
  /** Retrying ends with StopRequestedError once this returns false (a process shutting down). */
  isRunning?: () => boolean;
  /** Retrying ends with the last error once this much time has passed since the first attempt. */
  giveUpAfterMs?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Called before each wait; a place to log, count and heartbeat. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void | Promise<void>;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const defaultRetryable = (err: unknown) => {
  const f = declaredFault(err);
  return f !== 'poison' && f !== 'fatal';
};
const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The one retry loop: runs `fn` until it succeeds, the error is not retryable, the time is up or
 * the process stops. Every wait is a jittered exponential backoff (clients retrying in step after an
 * outage would otherwise hit the recovering dependency together).
 */
export async function retry<T>(fn: () => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const retryable = o.retryable ?? defaultRetryable;
  const isRunning = o.isRunning ?? (() => true);
  const sleep = o.sleep ?? realSleep;
  const now = o.now ?? Date.now;
  const deadline = o.giveUpAfterMs === undefined ? Infinity : now() + o.giveUpAfterMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!retryable(err) || now() >= deadline) throw err;
      if (!isRunning()) throw new StopRequestedError();
      const delay = Math.min(backoffDelay(attempt, o.initialDelayMs ?? 100, o.maxDelayMs ?? 10_000), Math.max(0, deadline - now()));
      await o.onRetry?.(err, attempt, delay);
      await sleep(delay);
      if (!isRunning()) throw new StopRequestedError();
    }
  }
}
