import { PoisonRecordError, StopRequestedError } from './fault';
import { backoffDelay, retry } from './retry';

const failing = (times: number, err: () => Error = () => new Error('down')) => {
  let calls = 0;
  return {
    fn: async () => {
      calls++;
      if (calls <= times) throw err();
      return calls;
    },
    calls: () => calls,
  };
};

describe('retry', () => {
  it('retries a transient failure with growing, jittered waits until it succeeds', async () => {
    const waits: number[] = [];
    const f = failing(4);
    expect(await retry(f.fn, { sleep: async (ms) => void waits.push(ms), initialDelayMs: 100, maxDelayMs: 500 })).toBe(5);
    expect(waits).toHaveLength(4);
    const bounds = [100, 200, 400, 500];
    waits.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(bounds[i]! / 2);
      expect(w).toBeLessThanOrEqual(bounds[i]!);
    });
  });

  it('does not retry what declares itself poison or fatal, nor what the caller says is not retryable', async () => {
    const poison = failing(1, () => new PoisonRecordError('bad bytes'));
    await expect(retry(poison.fn, { sleep: async () => undefined })).rejects.toThrow('bad bytes');
    expect(poison.calls()).toBe(1);
    const refused = failing(1, () => new Error('no'));
    await expect(retry(refused.fn, { retryable: () => false })).rejects.toThrow('no');
    expect(refused.calls()).toBe(1);
  });

  it('gives up with the last error once the time is up, never sleeping past it', async () => {
    let t = 0;
    const waits: number[] = [];
    const f = failing(100);
    await expect(
      retry(f.fn, { giveUpAfterMs: 1000, now: () => t, sleep: async (ms) => void (waits.push(ms), (t += ms)), initialDelayMs: 300 }),
    ).rejects.toThrow('down');
    expect(t).toBe(1000);
    expect(waits.reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('stops with StopRequestedError when the process stops', async () => {
    let running = true;
    const f = failing(100);
    const err = await retry(f.fn, { isRunning: () => running, sleep: async () => void (running = false) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StopRequestedError);
    expect(f.calls()).toBe(1);
  });

  it('backoffDelay stays within [half, full] of its capped exponential', () => {
    for (let a = 1; a <= 30; a++) {
      const full = Math.min(10_000, 100 * 2 ** Math.min(a - 1, 20));
      const d = backoffDelay(a);
      expect(d).toBeGreaterThanOrEqual(Math.floor(full / 2));
      expect(d).toBeLessThanOrEqual(full);
    }
  });
});
