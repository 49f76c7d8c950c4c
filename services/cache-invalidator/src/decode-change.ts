import type { KafkaMessage } from 'kafkajs';
import { READS, type AggregateChange } from '@fan/read-contract';
import { PoisonRecordError } from '@fan/event-codec';

const ID = /^-?\d{1,20}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const READ_SET = new Set<string>(READS);

/** JSON change record → AggregateChange; anything malformed is poison for the dead-letter topic. */
export async function decodeChange(message: KafkaMessage): Promise<AggregateChange> {
  let c: AggregateChange;
  try {
    c = JSON.parse(message.value?.toString() ?? '') as AggregateChange;
  } catch (err) {
    throw new PoisonRecordError(`change is not JSON: ${(err as Error).message}`);
  }
  const ok =
    typeof c === 'object' &&
    c !== null &&
    ID.test(c.star_id) &&
    ID.test(c.user_id) &&
    Array.isArray(c.reads) &&
    c.reads.every((r) => READ_SET.has(r)) &&
    (c.rank === undefined || (Array.isArray(c.rank) && c.rank.every((x) => DATE.test(x.week) && ID.test(x.old) && ID.test(x.new)))) &&
    (c.star_weeks === undefined || (Array.isArray(c.star_weeks) && c.star_weeks.every((w) => DATE.test(w))));
  if (!ok) throw new PoisonRecordError('change record does not have the expected shape');
  return c;
}
