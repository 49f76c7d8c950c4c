import { drawSeries } from '../charts';
import { h, stat, thumb } from '../dom';
import type { LikeIncomeByLevel } from '../reads';
import { likeIncomeBars } from '../shape';
import type { PanelContext } from './context';

export function renderLikeIncomeByLevel(d: LikeIncomeByLevel, { f, t }: PanelContext): HTMLElement {
  const bars = likeIncomeBars(d);
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': `${t['like-income-by-level']}: ${bars.labels.map((l, i) => `${l} ${f.int(bars.values[i] ?? 0)}`).join(', ')}`,
  });
  queueMicrotask(() => drawSeries(canvas, 'bar', bars, f));
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'stats' },
      stat(t.likes, f.int(d.total_like_count), 'total_like_count'),
      stat(t.income, f.int(d.total_income), 'total_income'),
    ),
    h('div', { class: 'chart chart-small' }, canvas),
    h(
      'ul',
      { class: 'level-list' },
      ...d.levels.map((l) =>
        h(
          'li',
          {},
          thumb(l.thumb, l.level, 32),
          h('span', { class: 'level-badge' }, l.level),
          h('span', {}, `${t.assets} ${f.int(l.asset_count)}`),
          h('span', { class: 'num' }, f.int(l.total_income)),
        ),
      ),
    ),
  );
}
