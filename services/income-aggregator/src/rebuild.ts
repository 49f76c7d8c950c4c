/** Recomputes the income aggregates from raw_events (stop the income aggregator first). */
import { rebuildCli } from '@fan/aggregation';
import { exitOnFatal } from '@fan/observability';
import { INCOME_RULE, INCOME_TABLES } from './income.rule';

rebuildCli(INCOME_RULE, INCOME_TABLES).catch(exitOnFatal('income-rebuild'));
