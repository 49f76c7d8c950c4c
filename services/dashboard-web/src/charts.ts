import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { Formatters } from './format';
import type { Bars, CurveSeries } from './shape';

// Only what the two chart kinds need: tree-shaken, the whole page stays small (docs/DASHBOARD.md).
Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Tooltip, Filler);

const ACCENT = '#5b4bdb';
const MARK = '#d9480f';
const charts = new WeakMap<HTMLCanvasElement, Chart>();

function replace(canvas: HTMLCanvasElement, make: () => Chart): void {
  charts.get(canvas)?.destroy();
  charts.set(canvas, make());
}

const ticks = (f: Formatters) => ({ callback: (v: string | number) => f.compact(Number(v)), precision: 0 });

/** What every chart of the page shares: no animation, locale numbers on the axis and in tooltips. */
const options = (f: Formatters) => ({
  animation: false as const,
  maintainAspectRatio: false,
  plugins: { tooltip: { callbacks: { label: (c: { raw: unknown }) => f.int(Number(c.raw)) } } },
  scales: { y: { beginAtZero: true, ticks: ticks(f) } },
});

/** The 7-day income line: today's point and the peak drawn larger, in the mark colour. */
export function drawCurve(canvas: HTMLCanvasElement, s: CurveSeries, f: Formatters): void {
  const marked = (i: number) => i === s.todayIndex || i === s.peakIndex;
  replace(
    canvas,
    () =>
      new Chart(canvas, {
        type: 'line',
        data: {
          labels: s.labels,
          datasets: [
            {
              data: s.values,
              borderColor: ACCENT,
              backgroundColor: 'rgba(91, 75, 219, 0.12)',
              fill: true,
              // Monotone: the curve never dips below or above the days' real values.
              cubicInterpolationMode: 'monotone',
              pointRadius: s.values.map((_, i) => (marked(i) ? 6 : 3)),
              pointBackgroundColor: s.values.map((_, i) => (i === s.peakIndex ? MARK : ACCENT)),
              pointStyle: s.values.map((_, i) => (i === s.todayIndex ? 'rectRot' : 'circle')),
            },
          ],
        },
        options: options(f),
      }),
  );
}

/** Bars (levels) or a plain line (online over the last hour). */
export function drawSeries(canvas: HTMLCanvasElement, kind: 'bar' | 'line', b: Bars, f: Formatters): void {
  const dataset =
    kind === 'bar'
      ? { data: b.values, backgroundColor: ACCENT, borderRadius: 4 }
      : { data: b.values, borderColor: ACCENT, pointRadius: 2, cubicInterpolationMode: 'monotone' as const };
  replace(canvas, () => new Chart(canvas, { type: kind, data: { labels: b.labels, datasets: [dataset] }, options: options(f) } as never));
}
