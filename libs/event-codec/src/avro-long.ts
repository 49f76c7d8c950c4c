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

/**
 * Passed to every avsc forSchema call, always as a copy (`{ ...AVRO_OPTIONS }`): forSchema stores
 * its named types in `opts.registry`, creating it on the object it is given. A typeHook rather than `registry: { long }`: avsc also
 * records named types in the registry object, so a shared one makes a second parse of the same
 * schema fail with "duplicate type name".
 */
export const AVRO_OPTIONS = {
  typeHook: (schema: unknown) =>
    schema === 'long' ||
    (typeof schema === 'object' && schema !== null && (schema as { type?: unknown }).type === 'long' && !('logicalType' in schema))
      ? bigintLongType
      : undefined,
};
