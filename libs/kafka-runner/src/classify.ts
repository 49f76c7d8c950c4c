import { declaredFault } from '@fan/failures';

/**
 * The one place that decides what a failure means for the record in hand (docs/RELIABILITY.md):
 *
 * - `transient`: the world is briefly wrong (a dependency down, a lock lost). Retry with backoff;
 *   the offset does not move.
 * - `poison`: the record itself can never be applied (bad bytes, a value Postgres refuses). Send
 *   that record to the dead-letter topic with the reason and go on with the rest.
 * - `unknown`: neither is certain (most likely a bug). Keep retrying, because dead-lettering good
 *   records on a bug would lose them silently, but report the partition as stuck once it lasts.
 */
export type FaultKind = 'transient' | 'poison' | 'unknown';

// SQLSTATE classes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const PG_TRANSIENT_CLASSES = new Set(['08', '53', '57', '58']); // connection, resources, operator intervention, system
const PG_TRANSIENT_CODES = new Set(['40001', '40P01', '55P03', '55006']); // serialization, deadlock, lock not available, object in use
const PG_POISON_CLASSES = new Set(['22', '23']); // data exception, integrity constraint violation
const NET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);
// pg reports a dropped connection, an exhausted pool or an answer that never came (its
// query_timeout) with messages only; ioredis a command past its commandTimeout likewise.
const TRANSIENT_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|^Query read timeout$|^Command timed out$/i;

const SQLSTATE = /^[0-9A-Z]{5}$/;

export function classifyError(err: unknown): FaultKind {
  if (typeof err !== 'object' || err === null) return 'unknown';
  const e = err as { name?: string; code?: unknown; retriable?: unknown; message?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && SQLSTATE.test(code) && !NET_CODES.has(code)) {
    if (PG_TRANSIENT_CODES.has(code) || PG_TRANSIENT_CLASSES.has(code.slice(0, 2))) return 'transient';
    if (PG_POISON_CLASSES.has(code.slice(0, 2))) return 'poison';
    return 'unknown';
  }
  if (code && NET_CODES.has(code)) return 'transient';
  // Ours declare their fault. A fatal one (a schema an operator has not registered) is not the
  // record's fault either: it is retried and reported stuck, never dead-lettered.
  const declared = declaredFault(err);
  if (declared) return declared === 'fatal' ? 'unknown' : declared;
  // kafkajs marks its own errors with `retriable`, its word for "give up or not"; one it gives up
  // on (a topic deleted, auth) is not the record's fault.
  if (typeof e.name === 'string' && e.name.startsWith('KafkaJS')) return e.retriable === true ? 'transient' : 'unknown';
  if (typeof e.message === 'string' && TRANSIENT_MESSAGES.test(e.message)) return 'transient';
  // No rule for RangeError, TypeError or SyntaxError: a bug throws them for every record alike
  // ("Maximum call stack size exceeded" is a RangeError), and calling them poison dead-lettered a
  // whole chunk one record at a time. What a record can cause is typed where it is found: bytes
  // that are not Avro (avsc's "truncated buffer" included) and values the validator refuses are a
  // PoisonRecordError of the decoder, and the validator holds instants to 2000–2099 so that Date conversions below cannot fail.
  if (e.cause !== undefined && e.cause !== err) {
    const inner = classifyError(e.cause);
    if (inner !== 'unknown') return inner;
  }
  return 'unknown';
}

/** A short, bounded label for metrics: the SQLSTATE or error name, never free text. */
export function faultLabel(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown };
  if (typeof e?.code === 'string' && e.code.length <= 32) return e.code;
  return typeof e?.name === 'string' ? e.name.slice(0, 40) : 'unknown';
}
