import { h, stat } from '../dom';
import type { TodayOverview } from '../reads';
import { rankText } from '../shape';
import type { PanelContext } from './context';

export const renderTodayOverview = (d: TodayOverview, { f, t }: PanelContext): HTMLElement =>
  h(
    'div',
    { class: 'stats' },
    stat(t.balance, f.int(d.crystal_balance), 'crystal_balance'),
    stat(t.todayIncome, f.int(d.today_income), 'today_income'),
    stat(t.weekRank, rankText(d, f), 'week_rank'),
  );
