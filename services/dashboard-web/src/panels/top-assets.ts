import { h, thumb } from '../dom';
import type { TopAssets } from '../reads';
import { initials } from '../shape';
import type { PanelContext } from './context';

export const renderTopAssets = (d: TopAssets, { f, t }: PanelContext): HTMLElement =>
  h(
    'ol',
    { class: 'ranked', 'aria-label': t['top-assets'] },
    ...d.items.map((a) =>
      h(
        'li',
        {},
        h('span', { class: 'rank', 'aria-label': `${t.rank} ${a.rank}` }, String(a.rank)),
        thumb(a.asset_thumb, initials(a.asset_name)),
        h('span', { class: 'name' }, a.asset_name || a.asset_id),
        h('span', { class: 'num', title: t.earnings }, f.int(a.total_earnings)),
      ),
    ),
  );
