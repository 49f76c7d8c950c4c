import { memoryChart, slope, trends } from './memory';

describe('soak memory', () => {
  it('fits the slope by least squares', () => {
    expect(
      slope([
        [0, 1],
        [1, 3],
        [2, 5],
      ]),
    ).toBe(2);
    expect(slope([[5, 7]])).toBe(0);
    expect(
      slope([
        [1, 2],
        [1, 4],
      ]),
    ).toBe(0);
  });

  it('projects a week of the trend after warm-up, per process', () => {
    const samples = [0, 5, 10, 15].flatMap((minute) => [
      { minute, process: 'a', rssMb: minute === 0 ? 50 : 100 + minute / 5 }, // +1 MB / 5 min after warm-up
      { minute, process: 'b', rssMb: 80 },
    ]);
    const [a, b] = trends(samples, { a: 384 });
    expect(a).toMatchObject({ process: 'a', samples: 4, firstMb: 50, lastMb: 103, peakMb: 103, limitMb: 384 });
    expect(a!.slopeMbPerHour).toBeCloseTo(12, 9);
    expect(a!.weekMb).toBeCloseTo(103 + 12 * 168, 6);
    expect(b).toMatchObject({ slopeMbPerHour: 0, weekMb: 80, limitMb: undefined });
  });

  it("fits each stretch between a process's restarts and reports the steepest, for resident and heap", () => {
    // Grows 1 MB/min (60 MB/h) until killed at minute 30, flat after: one fit over the whole run
    // would mix the drop in and understate the growth.
    const samples = Array.from({ length: 61 }, (_, minute) => ({
      minute,
      process: 'lag-exporter',
      rssMb: minute < 30 ? 80 + minute : 80,
      heapMb: minute < 30 ? 10 + minute / 2 : 10,
    }));
    const [t] = trends(samples, {}, { 'lag-exporter': [30] });
    expect(t!.slopeMbPerHour).toBeCloseTo(60, 9);
    expect(t!.heapSlopeMbPerHour).toBeCloseTo(30, 9);
    expect(t!.fittedMinutes).toBe(25);
    expect(t!.weekMb).toBeCloseTo(80 + 60 * 168, 6);
    expect(trends(samples, {})[0]!.slopeMbPerHour).toBeLessThan(0);
  });

  it('falls back to the longest stretch when none is long enough, and leaves the heap slope out without heap samples', () => {
    const samples = [0, 6, 8, 9, 12, 14].map((minute) => ({ minute, process: 'p', rssMb: 100 + minute }));
    const [t] = trends(samples, {}, { p: [7] });
    expect(t!.fittedMinutes).toBe(2);
    expect(t!.slopeMbPerHour).toBeCloseTo(60, 9);
    expect(t!.heapSlopeMbPerHour).toBeUndefined();
  });

  it('draws one line per process and one mark per fault', () => {
    const svg = memoryChart(
      [
        { minute: 0, process: 'raw-sink', rssMb: 100 },
        { minute: 1, process: 'raw-sink', rssMb: 110 },
        { minute: 1, process: 'query-api', rssMb: 90 },
      ],
      [{ minute: 0.5, label: 'SIGKILL raw-sink' }],
      'soak <test>',
    );
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('SIGKILL raw-sink');
    expect(svg).toContain('soak &lt;test&gt;');
  });
});
