import type { KafkaMessage } from 'kafkajs';
import { DLQ_HEADERS } from '@fan/kafka-runner';

/** A dead letter as counted: where it came from and the class of its reason (bounded labels, never free text). */
export interface DeadLetterLabel {
  origin: string;
  reason: string;
}

const header = (m: KafkaMessage, name: string): string | undefined => {
  const v = m.headers?.[name];
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined ? undefined : one.toString();
};

/**
 * The labels of one dead letter: its origin topic and its reason up to the first colon (e.g.
 * `invalid event`, `apply refused (22003)`), at most 60 characters, as the consumers' own
 * `pipeline_dead_lettered_total` labels it. A record without the headers (written by hand) is
 * `unknown`: a dead letter is never refused.
 */
export function deadLetterLabel(m: KafkaMessage): DeadLetterLabel {
  const reason = header(m, DLQ_HEADERS.reason);
  return {
    origin: header(m, DLQ_HEADERS.topic)?.slice(0, 120) ?? 'unknown',
    reason: reason === undefined ? 'unknown' : (reason.split(':')[0] ?? '').slice(0, 60) || 'unknown',
  };
}
