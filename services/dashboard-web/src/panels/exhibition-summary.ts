import { h, stat, thumb } from '../dom';
import type { ExhibitionSummary } from '../reads';
import { initials } from '../shape';
import type { PanelContext } from './context';

export function renderExhibitionSummary(d: ExhibitionSummary, { f, t }: PanelContext): HTMLElement {
  const rows = d.top5.map((a) =>
    h(
      'tr',
      {},
      h(
        'th',
        { scope: 'row' },
        h(
          'span',
          { class: 'asset' },
          thumb(a.asset_thumb, initials(a.asset_name), 28),
          h('span', { class: 'asset-name' }, a.asset_name || a.asset_id),
        ),
      ),
      h('td', {}, f.duration(a.duration_7d_seconds)),
      h('td', {}, f.int(a.earnings_7d)),
      h('td', {}, f.int(a.avg_earnings)),
    ),
  );
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'stats' },
      stat(t.exhibiting, f.int(d.exhibiting_count), 'exhibiting_count'),
      stat(t.starbook, f.int(d.starbook_count), 'starbook_count'),
      stat(t.totalDuration, f.duration(d.total_duration_seconds), 'total_duration'),
      stat(t.totalEarnings, f.int(d.total_earnings), 'total_earnings'),
    ),
    rows.length === 0
      ? null
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            {},
            h('caption', { class: 'sr-only' }, t['exhibition-summary']),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col' }, t.asset),
                h('th', { scope: 'col' }, t.duration7d),
                h('th', { scope: 'col' }, t.earnings7d),
                h('th', { scope: 'col' }, t.avgEarnings),
              ),
            ),
            h('tbody', {}, ...rows),
          ),
        ),
  );
}
