import type { ReadName } from '@fan/read-contract';
import type { Read } from './context';
import { exhibitionSummary } from './exhibition-summary';
import { incomeCurve } from './income-curve';
import { levelDistribution } from './level-distribution';
import { likeIncomeByLevel } from './like-income-by-level';
import { todayOverview } from './today-overview';
import { topAssets } from './top-assets';
import { upgradeProgress } from './upgrade-progress';

export type { Read, ReadContext } from './context';

export const READ_HANDLERS: Readonly<Record<ReadName, Read>> = {
  'today-overview': todayOverview,
  'income-curve': incomeCurve,
  'exhibition-summary': exhibitionSummary,
  'like-income-by-level': likeIncomeByLevel,
  'top-assets': topAssets,
  'level-distribution': levelDistribution,
  'upgrade-progress': upgradeProgress,
};
