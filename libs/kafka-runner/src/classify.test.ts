import { PoisonRecordError, StopRequestedError } from '@fan/failures';
import { classifyError } from './classify';

const pg = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe('classifyError', () => {
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['connection reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['timeout', Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })],
    ['pg connection failure (08006)', pg('08006')],
    ['pg too many connections (53300)', pg('53300')],
    ['pg admin shutdown (57P01)', pg('57P01')],
    ['pg serialization failure', pg('40001')],
    ['pg deadlock', pg('40P01')],
    ['pg pool connection dropped', new Error('Connection terminated unexpectedly')],
    ['pg statement_timeout (57014)', pg('57014')],
    ['pg no answer within query_timeout', new Error('Query read timeout')],
    ['pg no pooled connection within connectionTimeoutMillis', new Error('timeout exceeded when trying to connect')],
    ['Redis command past commandTimeout', new Error('Command timed out')],
    ['registry unavailable', Object.assign(new Error('registry down'), { fault: 'transient' })],
    ['kafkajs retriable', Object.assign(new Error('leader not available'), { name: 'KafkaJSProtocolError', retriable: true })],
  ])('%s is transient', (_name, err) => expect(classifyError(err)).toBe('transient'));

  it.each([
    ['NUL in text (22P05)', pg('22P05')],
    ['invalid byte sequence (22021)', pg('22021')],
    ['bigint out of range (22003)', pg('22003')],
    ['unexpected check violation (23514)', pg('23514')],
    ['decode error', new PoisonRecordError('not valid Avro')],
    ['wrapped data exception', new Error('apply failed', { cause: pg('22008') })],
  ])('%s is poison', (_name, err) => expect(classifyError(err)).toBe('poison'));

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['undefined table (42P01)', pg('42P01')],
    ['kafkajs non-retriable', Object.assign(new Error('topic gone'), { name: 'KafkaJSNonRetriableError', retriable: false })],
    ['a string', 'boom'],
    // Declared fatal (a schema not registered, the process stopping): not the record's fault, never dead-lettered.
    ['stop requested', new StopRequestedError()],
    ['fatal of ours', Object.assign(new Error('schema missing'), { fault: 'fatal' })],
    // `retriable` is kafkajs's word, not ours: an error outside kafkajs carrying it is not trusted as poison.
    ['retriable: false outside kafkajs', Object.assign(new Error('x'), { retriable: false })],
    // Bugs throw these for every record alike: poison would dead-letter a whole chunk one by one.
    ['Invalid time value', new RangeError('Invalid time value')],
    ['runaway recursion', new RangeError('Maximum call stack size exceeded')],
    ['BigInt of a fraction', new RangeError('The number 1.5 cannot be converted to a BigInt because it is not an integer')],
    [
      'Buffer write out of range',
      Object.assign(
        new RangeError('The value of "value" is out of range. It must be >= -(2n ** 63n) and < 2n ** 63n. Received 2n ** 64n'),
        {
          code: 'ERR_OUT_OF_RANGE',
        },
      ),
    ],
    ['BigInt of a bad string', new SyntaxError('Cannot convert abc to a BigInt')],
    ['a RangeError wrapped', new Error('apply failed', { cause: new RangeError('Invalid time value') })],
  ])('%s is unknown', (_name, err) => expect(classifyError(err)).toBe('unknown'));

  it('reports the errors a real bug throws as unknown, whatever their class', () => {
    const thrown = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err;
      }
      throw new Error('did not throw');
    };
    const recurse = (n: number): number => recurse(n + 1) + 1;
    expect(
      [
        thrown(() => new Date(Number.NaN).toISOString()),
        thrown(() => recurse(0)),
        thrown(() => BigInt(1.5)),
        thrown(() => BigInt('abc')),
        thrown(() => Buffer.alloc(8).writeBigInt64BE(2n ** 64n)),
        thrown(() => (undefined as unknown as { x: number }).x),
      ].map(classifyError),
    ).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown']);
  });
});
