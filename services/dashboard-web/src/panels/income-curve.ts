import { drawCurve } from '../charts';
import { h, stat } from '../dom';
import type { IncomeCurve } from '../reads';
import { curveSeries } from '../shape';
import type { PanelContext } from './context';

export function renderIncomeCurve(d: IncomeCurve, { f, t }: PanelContext): HTMLElement {
  const s = curveSeries(d, f);
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': `${t['income-curve']}: ${s.labels.map((l, i) => `${l} ${f.int(s.values[i] ?? 0)}`).join(', ')}`,
  });
  queueMicrotask(() => drawCurve(canvas, s, f));
  const legend = h(
    'p',
    { class: 'legend' },
    h('span', { class: 'mark-today' }, '◆'),
    ` ${t.today}: ${s.todayIndex >= 0 ? f.int(s.values[s.todayIndex] ?? 0) : '—'}  `,
    h('span', { class: 'mark-peak' }, '●'),
    ` ${t.peak}: ${s.peakIndex >= 0 ? `${s.labels[s.peakIndex]} ${f.int(s.values[s.peakIndex] ?? 0)}` : '—'}`,
  );
  return h(
    'div',
    {},
    h('div', { class: 'stats' }, stat(t.total, f.int(d.total_income), 'total_income'), stat(t.average, f.int(d.avg_income), 'avg_income')),
    h('div', { class: 'chart' }, canvas),
    legend,
  );
}
