import avro from 'avsc';
import { randomBytes } from 'node:crypto';
import { AVRO_OPTIONS, referenceLongType } from './avro-long';

const schema = {
  type: 'record',
  name: 'R',
  fields: [
    { name: 'a', type: 'long' },
    { name: 'b', type: ['null', 'long'] },
    { name: 's', type: 'string' },
  ],
};
const fast = avro.Type.forSchema(schema as avro.Schema, { ...AVRO_OPTIONS });
const reference = avro.Type.forSchema(schema as avro.Schema, {
  typeHook: (s: unknown) => (s === 'long' || (s as { type?: unknown }).type === 'long' ? referenceLongType : undefined),
});

const edges = [0n, 1n, -1n, 63n, 64n, -64n, -65n, 2n ** 31n, -(2n ** 31n), 2n ** 48n - 1n, 2n ** 48n, -(2n ** 48n), -(2n ** 48n) - 1n];
const wide = [2n ** 52n - 1n, 2n ** 52n, -(2n ** 52n) + 1n, -(2n ** 52n), 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n)];
const random = Array.from({ length: 5000 }, () => randomBytes(8).readBigInt64LE() >> BigInt(Math.floor(Math.random() * 64)));

describe('bigint Avro long without a Buffer per value', () => {
  it('writes the bytes of the exact type and reads back the same bigint, for edges, beyond 2^53 and random widths', () => {
    for (const a of [...edges, ...wide, ...random]) {
      const value = { a, b: a === -(2n ** 63n) ? a : -a, s: 'x' };
      const bytes = fast.toBuffer(value);
      expect(bytes.equals(reference.toBuffer(value))).toBe(true);
      expect(fast.fromBuffer(bytes)).toEqual(value);
      expect(reference.fromBuffer(bytes)).toEqual(value);
    }
  });

  it('still refuses what is not a bigint or beyond 64 bits, and a long cut short', () => {
    expect(() => fast.toBuffer({ a: 5, b: null, s: 'x' })).toThrow(/invalid/);
    expect(() => fast.toBuffer({ a: 2n ** 63n, b: null, s: 'x' })).toThrow(/out of range/);
    expect(() => fast.toBuffer({ a: -(2n ** 63n) - 1n, b: null, s: 'x' })).toThrow(/out of range/);
    const wide = fast.toBuffer({ a: 2n ** 62n, b: null, s: '' });
    expect(() => fast.fromBuffer(wide.subarray(0, 6))).toThrow(/truncated/);
    expect(fast.isValid({ a: 5n, b: null, s: 'x' })).toBe(true);
    const bytes = fast.toBuffer({ a: 2n ** 40n, b: null, s: '' });
    expect(() => fast.fromBuffer(bytes.subarray(0, 3))).toThrow(/truncated/);
  });
});
