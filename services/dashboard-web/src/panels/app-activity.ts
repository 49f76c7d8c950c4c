import { drawSeries } from '../charts';
import { h, stat } from '../dom';
import type { AppActivity } from '../reads';
import type { PanelContext } from './context';

/** App-wide: who is online now, the last hour, and daily active identities of 14 days. */
export function renderAppActivity(d: AppActivity, { f, t }: PanelContext): HTMLElement {
  const dauBars = { labels: d.dau.days.map((x) => f.day(x.date)), values: d.dau.days.map((x) => x.dau) };
  const hour = { labels: d.history.points.map((p) => f.time(Date.parse(p.at))), values: d.history.points.map((p) => p.count) };
  const dauCanvas = h('canvas', {
    role: 'img',
    'aria-label': `${t.dau14}: ${dauBars.labels.map((l, i) => `${l} ${f.int(dauBars.values[i] ?? 0)}`).join(', ')}`,
  });
  const hourCanvas = h('canvas', { role: 'img', 'aria-label': `${t.lastHour}: ${hour.values.map((v) => f.int(v)).join(', ')}` });
  queueMicrotask(() => {
    drawSeries(dauCanvas, 'bar', dauBars, f);
    drawSeries(hourCanvas, 'line', hour, f);
  });
  const today = d.dau.days[d.dau.days.length - 1];
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'stats' },
      stat(t.onlineNow, f.int(d.online.count), 'online_count'),
      stat(t.dauToday, f.int(today?.dau ?? 0), 'dau_today'),
    ),
    h('h3', {}, t.lastHour),
    h('div', { class: 'chart chart-small' }, hourCanvas),
    h('h3', {}, t.dau14),
    h('div', { class: 'chart chart-small' }, dauCanvas),
  );
}
