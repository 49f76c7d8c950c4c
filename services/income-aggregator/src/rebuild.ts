/** Recomputes the income aggregates from raw_events (stop the income aggregator first). */
import { rebuildCli } from '@fan/aggregation';
import type { EventOf } from '@fan/events';
import { exitOnFatal } from '@fan/observability';
import { INCOME_TABLES, INCOME_TYPES } from './income.types';
import { foldIncome } from './income.aggregate';
import { storeIncome } from './income.store';

rebuildCli('income-aggregator', INCOME_TYPES, INCOME_TABLES, (tz) => (client, fresh, changes) =>
  storeIncome(client, foldIncome(fresh as EventOf<'crystal.change'>[], tz), changes),
).catch(exitOnFatal('income-rebuild'));
