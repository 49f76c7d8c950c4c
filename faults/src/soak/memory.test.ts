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
