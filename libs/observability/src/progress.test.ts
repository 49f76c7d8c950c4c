import { ProgressMeter, formatBytes, formatCount, formatDuration } from './progress';
import { startProgress } from './progress-output';

describe('progress formatting', () => {
  it('groups counts by thousands whatever the locale', () => {
    expect([0, 7, 999, 1000, 1_234_567, 10_000_000, -4321, 12.6].map(formatCount)).toEqual([
      '0',
      '7',
      '999',
      '1,000',
      '1,234,567',
      '10,000,000',
      '-4,321',
      '13',
    ]);
  });

  it('writes durations as seconds, minutes and seconds, or hours and minutes', () => {
    expect([0, 400, 45_000, 60_000, 182_000, 3_599_000, 3_600_000, 3_900_000, 90_061_000].map(formatDuration)).toEqual([
      '0s',
      '0s',
      '45s',
      '1m00s',
      '3m02s',
      '59m59s',
      '1h00m',
      '1h05m',
      '25h01m',
    ]);
  });

  it('writes sizes in decimal units', () => {
    expect([512, 1000, 1_930_000_000, 25_400_000].map(formatBytes)).toEqual(['512 B', '1.00 KB', '1.93 GB', '25.4 MB']);
  });
});

describe('ProgressMeter', () => {
  it('with a known total: count, percentage, rate over the window and ETA', () => {
    const m = new ProgressMeter({ verb: 'published', total: 10_000_000 }, 0);
    m.update(500_000);
    m.sample(10_000);
    m.update(1_234_567);
    m.sample(20_000);
    // Window 10 s: from (10 s, 500k) to (20 s, 1.23M) = 73,457 ev/s; 8.77M left at that pace.
    expect(m.line(20_000)).toBe('published 1,234,567 / 10,000,000 (12.3%) · 73,457 ev/s · ETA 1m59s');
  });

  it('follows a change of pace: the rate is the recent one, not the average since the start', () => {
    const m = new ProgressMeter({ verb: 'rebuilt', total: 1000, windowMs: 5000 }, 0);
    for (let t = 1000; t <= 10_000; t += 1000) {
      m.update(t <= 5000 ? t / 100 : 50 + (t - 5000) / 10);
      m.sample(t);
    }
    // 10 ev/s for 5 s, then 100 ev/s: the window sees only the second pace.
    expect(m.rate(10_000)).toBe(100);
    expect(m.eta(10_000)).toBe(4500);
    expect(m.rate(10_000, true)).toBe(55);
  });

  it('keeps a bounded number of samples however long the job runs', () => {
    const m = new ProgressMeter({ verb: 'x', total: 1e9, windowMs: 1000 }, 0);
    for (let t = 1; t <= 100_000; t++) {
      m.update(t);
      m.sample(t * 10);
    }
    expect((m as unknown as { samples: unknown[] }).samples.length).toBeLessThanOrEqual(102);
  });

  it('with only the share of the work known (bytes of a file): percentage of the whole and ETA from it', () => {
    const m = new ProgressMeter({ verb: 'published', of: '1.93 GB' }, 0);
    m.update(0, 0);
    m.sample(0);
    m.update(400_000, 0.25, '3 rejected');
    m.sample(8000);
    expect(m.line(8000)).toBe('published 400,000 (25.0% of 1.93 GB) · 3 rejected · 50,000 ev/s · ETA 24s');
  });

  it('has an ETA from the first sample after the start (a log line every 10 s has no earlier one)', () => {
    const m = new ProgressMeter({ verb: 'published', of: '210 MB' }, 0);
    m.update(645_813, 0.645);
    m.sample(10_000);
    expect(m.line(10_000)).toBe('published 645,813 (64.5% of 210 MB) · 64,581 ev/s · ETA 6s');
  });

  it('without a total: count and rate, no percentage or ETA', () => {
    const m = new ProgressMeter({ verb: 'replayed', unit: 'rec' }, 1000);
    m.update(3000);
    m.sample(3000);
    expect(m.line(3000)).toBe('replayed 3,000 · 1,500 rec/s');
  });

  it('says -- for the ETA until something has moved, never a division by zero', () => {
    const m = new ProgressMeter({ verb: 'published', total: 100 }, 0);
    m.sample(0);
    expect(m.line(0)).toBe('published 0 / 100 (0.0%) · 0 ev/s · ETA --');
    expect(m.line(5000)).toBe('published 0 / 100 (0.0%) · 0 ev/s · ETA --');
  });

  it('does not claim 100% before the end, and a total of 0 is complete', () => {
    const m = new ProgressMeter({ verb: 'x', total: 10_000 }, 0);
    m.update(9_999);
    expect(m.line(1000)).toMatch(/\(99\.9%\)/);
    expect(new ProgressMeter({ verb: 'x', total: 0 }, 0).line(1000)).toBe('x 0 / 0 (100.0%) · 0 ev/s · ETA 0s');
  });

  it('final line: total time and average rate, no ETA', () => {
    const m = new ProgressMeter({ verb: 'published', total: 10_000_000 }, 0);
    m.update(10_000_000);
    expect(m.line(207_000, true)).toBe('published 10,000,000 / 10,000,000 (100.0%) · in 3m27s · 48,309 ev/s');
  });
});

describe('startProgress', () => {
  const output = (tty: boolean) => {
    const chunks: string[] = [];
    return { chunks, stream: { isTTY: tty, write: (s: string) => chunks.push(s) } };
  };

  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('on a terminal rewrites one line in place, 4 times a second, and ends it on finish', () => {
    const { chunks, stream } = output(true);
    const p = startProgress({ verb: 'published', total: 1000, stream, clock: Date.now });
    p.update(100);
    jest.advanceTimersByTime(250);
    p.update(300);
    jest.advanceTimersByTime(250);
    expect(chunks).toEqual([
      '\rpublished 100 / 1,000 (10.0%) · 400 ev/s · ETA 2s\x1b[K',
      '\rpublished 300 / 1,000 (30.0%) · 600 ev/s · ETA 1s\x1b[K',
    ]);
    p.update(1000);
    jest.advanceTimersByTime(100);
    p.finish();
    expect(chunks[2]).toBe('\rpublished 1,000 / 1,000 (100.0%) · in 1s · 1,667 ev/s\x1b[K\n');
    jest.advanceTimersByTime(10_000);
    expect(chunks).toHaveLength(3);
  });

  it('elsewhere writes a plain line every interval, without control characters', () => {
    const { chunks, stream } = output(false);
    const p = startProgress({ verb: 'replayed', total: 200_000, stream, clock: Date.now, intervalMs: 5000 });
    jest.advanceTimersByTime(4999);
    expect(chunks).toEqual([]);
    p.update(50_000);
    jest.advanceTimersByTime(1);
    p.update(100_000);
    jest.advanceTimersByTime(5000);
    p.finish();
    p.finish();
    expect(chunks).toEqual([
      'replayed 50,000 / 200,000 (25.0%) · 10,000 ev/s · ETA 15s\n',
      'replayed 100,000 / 200,000 (50.0%) · 10,000 ev/s · ETA 10s\n',
      'replayed 100,000 / 200,000 (50.0%) · in 10s · 10,000 ev/s\n',
    ]);
    expect(chunks.join('')).not.toContain('\r');
    expect(chunks.join('')).not.toContain('\x1b');
  });

  it("writes at the job's interval (its PROGRESS_INTERVAL_MS, parsed at the job's edge)", () => {
    const { chunks, stream } = output(false);
    startProgress({ verb: 'x', stream, clock: Date.now, intervalMs: 1000 });
    jest.advanceTimersByTime(3000);
    expect(chunks).toHaveLength(3);
  });
});
