import { aggregatorIdentity, type AggregateRule } from '@fan/aggregation';
import { businessDate, type EventOf } from '@fan/events';
import { weekStart } from '@fan/read-contract';
import { foldIncome } from './income.aggregate';
import { storeIncome } from './income.store';

const { rule, tables } = aggregatorIdentity('income-aggregator');

/** What the income aggregator owns (a rebuild empties and refills exactly these; its manifest entry). */
export const INCOME_TABLES = tables;

/**
 * crystal.change → daily and weekly income per (star, user), the weekly rank inputs and the
 * latest balance. A replayed event may have moved anyone's rank in its star-week: the whole
 * star-week's today-overview is announced.
 */
export const INCOME_RULE: AggregateRule = {
  ...rule,
  store: (client, fresh, changes, { tz }) => storeIncome(client, foldIncome(fresh as EventOf<'crystal.change'>[], tz), changes),
  replayed: (e, changes, { tz }) => changes.starWeek(e.star_id, e.user_id, weekStart(businessDate(e.occurred_at, tz))),
};
