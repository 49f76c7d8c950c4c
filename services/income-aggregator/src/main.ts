import { aggregatorConfig, runAggregator } from '@fan/aggregation';
import { INCOME_RULE } from './income.rule';

/** Income aggregator: its own consumer group (INCOME_AGG_*), scaled on its own. */
runAggregator(INCOME_RULE, () => aggregatorConfig('income-aggregator'));
