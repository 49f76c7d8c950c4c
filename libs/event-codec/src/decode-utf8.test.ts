import avro, { type Type } from 'avsc';
import { AVRO_SCHEMAS, type AnyType } from '@fan/schemas';
import { AVRO_OPTIONS } from './avro-long';
import { PoisonRecordError } from '@fan/failures';
import { createDecoder } from './codec';
import type { SchemaRegistry } from './registry';

/**
 * Strings whose bytes are not UTF-8 (a Java producer, a hand-made record): avsc alone reads them
 * as U+FFFD, so `p-\xff` and `p-\xfe` would become one id. Such a record is poison, named.
 */
const typeOf = (t: AnyType) => avro.Type.forSchema(AVRO_SCHEMAS[t] as never, { ...AVRO_OPTIONS } as never) as Type;
const crystal = typeOf('crystal.change');
const start = typeOf('app.session_start');
const byId = new Map<number, Type>([
  [1, crystal],
  [2, start],
]);
const registry = { getSchema: async (id: number) => byId.get(id) } as unknown as SchemaRegistry;
const framed = (id: number, body: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, 0, id]), body]);

/** The record with one string's bytes replaced (same length, so the Avro framing stays right). */
function withBytes(type: Type, record: object, marker: string, bytes: number[]): Buffer {
  const body = type.toBuffer(record);
  const at = body.indexOf(Buffer.from(marker));
  if (at < 0 || bytes.length !== Buffer.byteLength(marker)) throw new Error('marker');
  Buffer.from(bytes).copy(body, at);
  return body;
}
const change = (event_id: string, reason: string) => ({
  event_id,
  occurred_at: 1_700_000_000_123n,
  user_id: 5n,
  star_id: 7n,
  properties: { amount: -25n, balance_after: 10n, reason },
});

async function outcome(value: Buffer): Promise<unknown> {
  try {
    return await createDecoder(registry)(value);
  } catch (err) {
    return err;
  }
}

describe('strings that are not UTF-8 in a decoded record', () => {
  it.each<[string, number[]]>([
    ['a lone 0xFF', [0x70, 0x2d, 0xff]],
    ['a UTF-8-encoded surrogate (CESU-8, as Java writes U+D800)', [0xed, 0xa0, 0x80]],
    ['a 4-byte sequence cut short', [0xf0, 0x9f, 0x98]],
    ['an overlong NUL', [0x41, 0xc0, 0x80]],
  ])('event_id with %s is a PoisonRecordError naming the field', async (_name, bytes) => {
    const err = await outcome(framed(1, withBytes(crystal, change('XYZ', 'gift'), 'XYZ', bytes)));
    expect(err).toBeInstanceOf(PoisonRecordError);
    expect((err as Error).message).toBe('event_id is not valid UTF-8 (schema id 1)');
  });

  it('names a string of the properties, and an optional string of app activity', async () => {
    const err = await outcome(framed(1, withBytes(crystal, change('e-1', 'gift'), 'gift', [0x67, 0x69, 0x66, 0xff])));
    expect((err as Error).message).toBe('properties.reason is not valid UTF-8 (schema id 1)');
    const session = {
      event_id: 'a-1',
      install_id: 'i-1',
      user_id: null,
      occurred_at: 1_700_000_000_123n,
      properties: { os: null, os_version: null, app_version: null, network_type: null, province: 'QQ', city: null },
    };
    const err2 = await outcome(framed(2, withBytes(start, session, 'QQ', [0xe5, 0xb9])));
    expect((err2 as Error).message).toBe('properties.province is not valid UTF-8 (schema id 2)');
  });

  it('keeps a well-formed U+FFFD (and everything else) exactly', async () => {
    const event = change('id-\ufffd-\u{1f600}', '\ufffd广东');
    expect(await outcome(framed(1, crystal.toBuffer(event)))).toEqual({ ...event, event_type: 'crystal.change' });
  });
});
