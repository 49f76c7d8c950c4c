import type { KafkaMessage } from 'kafkajs';
import { APP_READS, READS, type AggregateChange, type AppChange } from '@fan/read-contract';
import { PoisonRecordError } from '@fan/failures';

const ID = /^-?\d{1,20}$/;
// A weekly income: an exact integer of up to the column's 1000 digits (0010_exact_sums.sql).
const INCOME = /^-?\d{1,1000}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const READ_SET = new Set<string>(READS);
const APP_READ_SET = new Set<string>(APP_READS);

/** A change record of the dashboard reads (per star and user) or of the app-wide reads. */
export type Change = AggregateChange | AppChange;
export const isAppChange = (c: Change): c is AppChange => 'app_reads' in c;

/** JSON change record → Change; anything malformed is poison for the dead-letter topic. */
export async function decodeChange(message: KafkaMessage): Promise<Change> {
  let c: AggregateChange;
  try {
    c = JSON.parse(message.value?.toString() ?? '') as AggregateChange;
  } catch (err) {
    throw new PoisonRecordError(`change is not JSON: ${(err as Error).message}`);
  }
  if (typeof c === 'object' && c !== null && 'app_reads' in c) {
    const a = c as unknown as AppChange;
    if (!Array.isArray(a.app_reads) || !a.app_reads.every((r) => APP_READ_SET.has(r)))
      throw new PoisonRecordError('app change record does not have the expected shape');
    return a;
  }
  const ok =
    typeof c === 'object' &&
    c !== null &&
    ID.test(c.star_id) &&
    ID.test(c.user_id) &&
    Array.isArray(c.reads) &&
    c.reads.every((r) => READ_SET.has(r)) &&
    (c.rank === undefined ||
      (Array.isArray(c.rank) && c.rank.every((x) => DATE.test(x.week) && INCOME.test(x.old) && INCOME.test(x.new)))) &&
    (c.star_weeks === undefined || (Array.isArray(c.star_weeks) && c.star_weeks.every((w) => DATE.test(w))));
  if (!ok) throw new PoisonRecordError('change record does not have the expected shape');
  return c;
}
