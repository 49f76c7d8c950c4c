import avro from 'avsc';

/**
 * avsc decodes Avro `long` into a JavaScript number by default, which silently rounds ids above
 * 2^53. This type makes every long a bigint, on both encode and decode.
 * See https://github.com/mtth/avsc/wiki/Advanced-usage#custom-long-types
 */
export const bigintLongType = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(n);
    return buf;
  },
  fromJSON: (v: unknown) => BigInt(v as string),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

export const AVRO_OPTIONS = { registry: { long: bigintLongType } };
