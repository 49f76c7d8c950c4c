import { drawSeries } from '../charts';
import { h } from '../dom';
import type { LevelDistribution } from '../reads';
import { distributionBars } from '../shape';
import type { PanelContext } from './context';

export function renderLevelDistribution(d: LevelDistribution, { f, t }: PanelContext): HTMLElement {
  const bars = distributionBars(d);
  const total = d.items[0]?.total ?? 0;
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': `${t['level-distribution']}: ${bars.labels.map((l, i) => `${l} ${f.int(bars.values[i] ?? 0)}`).join(', ')}`,
  });
  queueMicrotask(() => drawSeries(canvas, 'bar', bars, f));
  return h('div', {}, h('p', { class: 'muted' }, `${t.starbook}: ${f.int(total)}`), h('div', { class: 'chart chart-small' }, canvas));
}
