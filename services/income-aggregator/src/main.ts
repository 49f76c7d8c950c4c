import { aggregatorConfig, runAggregator } from '@fan/aggregation';
import type { EventOf } from '@fan/events';
import { exitOnFatal } from '@fan/observability';
import { foldIncome } from './income.aggregate';
import { storeIncome } from './income.store';
import { INCOME_TYPES } from './income.types';

/**
 * Income aggregator: crystal.change → daily and weekly income per (star, user), weekly rank
 * inputs, and the latest balance. Its own consumer group (INCOME_AGG_GROUP_ID).
 */
const config = aggregatorConfig('INCOME_AGG', { groupId: 'income-aggregator', healthPort: 9102 });

runAggregator(
  'income-aggregator',
  INCOME_TYPES,
  (client, fresh, changes) => storeIncome(client, foldIncome(fresh as EventOf<'crystal.change'>[], config.common.businessTz), changes),
  config,
).catch(exitOnFatal('income-aggregator'));
