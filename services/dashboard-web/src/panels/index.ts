import type { ReadData, ReadName } from '../reads';
import type { PanelContext } from './context';
import { renderExhibitionSummary } from './exhibition-summary';
import { renderIncomeCurve } from './income-curve';
import { renderLevelDistribution } from './level-distribution';
import { renderLikeIncomeByLevel } from './like-income-by-level';
import { renderTodayOverview } from './today-overview';
import { renderTopAssets } from './top-assets';
import { renderUpgradeProgress } from './upgrade-progress';

export type { PanelContext } from './context';

/** One renderer per read: the read's data → the panel's body. */
export const RENDERERS: { [R in ReadName]: (d: ReadData[R], ctx: PanelContext) => HTMLElement } = {
  'today-overview': renderTodayOverview,
  'income-curve': renderIncomeCurve,
  'exhibition-summary': renderExhibitionSummary,
  'like-income-by-level': renderLikeIncomeByLevel,
  'top-assets': renderTopAssets,
  'level-distribution': renderLevelDistribution,
  'upgrade-progress': renderUpgradeProgress,
};
