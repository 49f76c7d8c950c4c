import { h, progress, thumb } from '../dom';
import type { UpgradeProgress } from '../reads';
import { initials } from '../shape';
import type { PanelContext } from './context';

export function renderUpgradeProgress(d: UpgradeProgress, { f, t }: PanelContext): HTMLElement {
  return h(
    'div',
    { class: 'upgrade' },
    h('h3', {}, t.upcoming),
    h(
      'ul',
      { class: 'upcoming' },
      ...d.upcoming.map((a) =>
        h(
          'li',
          {},
          h(
            'div',
            { class: 'asset' },
            thumb(a.asset_thumb, initials(a.asset_name)),
            h('span', { class: 'name' }, a.asset_name || a.asset_id),
            h('span', { class: 'level-badge' }, `${a.current_level} → ${a.next_level}`),
          ),
          progress(t.likeProgress, a.like_progress, f.percent(a.like_progress)),
          progress(t.durationProgress, a.duration_progress, f.percent(a.duration_progress)),
        ),
      ),
    ),
    h('h3', {}, t.recent),
    h(
      'ul',
      { class: 'recent' },
      ...d.recent.map((r) =>
        h(
          'li',
          {},
          thumb(r.asset_thumb, initials(r.asset_name), 28),
          h('span', { class: 'name' }, r.asset_name || r.asset_id),
          h('span', { class: 'level-badge' }, r.new_level),
          h('time', { datetime: new Date(r.upgrade_time).toISOString() }, f.dateTime(r.upgrade_time)),
        ),
      ),
    ),
  );
}
