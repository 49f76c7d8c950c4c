import avro, { type Type } from 'avsc';
import { AVRO_SCHEMAS } from '@fan/schemas';
import { AVRO_OPTIONS } from './avro-long';
import { PoisonRecordError } from '@fan/failures';
import { createDecoder } from './codec';
import type { SchemaRegistry } from './registry';

/**
 * What a record's bytes can do to the decoder is typed here, at the source: a PoisonRecordError
 * (`fault: 'poison'`, what classifyError calls poison), never a bare RangeError or TypeError, which
 * classifyError leaves to retry because a bug throws those for every record alike.
 */
const ID = 7;
const type = avro.Type.forSchema(AVRO_SCHEMAS['crystal.change'] as never, { ...AVRO_OPTIONS } as never) as Type;
const registry = { getSchema: async () => type } as unknown as SchemaRegistry;
const framed = (body: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, 0, ID]), body]);
const body = type.toBuffer({
  event_id: 'e-1',
  occurred_at: 1_700_000_000_123n,
  user_id: 2n ** 63n - 1n,
  star_id: 9_007_199_254_740_993n,
  properties: { amount: -25n, balance_after: 10n, reason: 'gift' },
});

async function failure(decode: ReturnType<typeof createDecoder>, value: Buffer): Promise<unknown> {
  try {
    await decode(value);
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('decoder failures are the record’s, typed', () => {
  it('a body cut at every length (from 1 byte) is a PoisonRecordError naming the schema id', async () => {
    const decode = createDecoder(registry);
    await decode(framed(body)); // the writer schema is known from here on: the synchronous path
    const errors = [];
    for (let n = 1; n < body.length; n++) errors.push(await failure(decode, framed(body.subarray(0, n))));
    expect(errors.filter((e) => !(e instanceof PoisonRecordError))).toEqual([]);
    expect(new Set(errors.map((e) => (e as Error).message))).toEqual(new Set([`not valid Avro for schema id ${ID}: truncated buffer`]));
  });

  it.each([
    ['a varint that never ends', Buffer.alloc(40, 0x80)],
    ['all ones', Buffer.alloc(40, 0xff)],
    ['a string length beyond the record', Buffer.from([0xfe, 0xff, 0xff, 0xff, 0x0f, 0x41])],
    ['trailing bytes after a whole record', Buffer.concat([body, Buffer.from([1, 2, 3])])],
  ])('%s is a PoisonRecordError, fault: poison', async (_name, bytes) => {
    const err = await failure(createDecoder(registry), framed(bytes));
    expect(err).toBeInstanceOf(PoisonRecordError);
    expect(err).toMatchObject({ fault: 'poison', message: expect.stringMatching(new RegExp(`^not valid Avro for schema id ${ID}: `)) });
  });
});
