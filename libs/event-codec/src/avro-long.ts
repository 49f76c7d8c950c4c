import avro from 'avsc';

/**
 * avsc decodes Avro `long` into a JavaScript number by default, which silently rounds ids above
 * 2^53. This type makes every long a bigint, on both encode and decode.
 * See https://github.com/mtth/avsc/wiki/Advanced-usage#custom-long-types
 */
const exactLongType = avro.types.LongType.__with({
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

/** avsc's byte cursor, as far as the fast paths below use it. */
interface Tap {
  buf: Buffer;
  pos: number;
  readLong(): number;
  writeLong(n: number): void;
}
type LongCodec = { _read(tap: Tap): bigint | undefined; _write(tap: Tap, n: unknown): void };

// Writing a number avsc's own way is exact while 2·|n| < 2^53; a zig-zag varint of at most 7 bytes
// holds |n| ≤ 2^48, exact as a number when read. Wider longs (ids often are) go through two 32-bit
// halves; a varint of more than 10 bytes, one cut short, or a value outside 64 bits, the exact way.
const WRITE_LIMIT = 2n ** 52n;
const SHORT_VARINT = 7;
const LONGEST_VARINT = 10;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const exact = exactLongType as unknown as LongCodec;

// One 8-byte scratch to move a bigint in and out of two 32-bit halves without a bigint per step
// (shifts and masks on bigints allocate each time).
const halves = new DataView(new ArrayBuffer(8));

function writeWide(tap: Tap, n: bigint): void {
  halves.setBigInt64(0, n, true);
  const lo0 = halves.getUint32(0, true);
  const hi0 = halves.getUint32(4, true);
  const sign = (hi0 | 0) >> 31; // zig-zag, (n << 1) ^ (n >> 63), on the halves
  let lo = ((lo0 << 1) ^ sign) >>> 0;
  let hi = (((hi0 << 1) | (lo0 >>> 31)) ^ sign) >>> 0;
  const buf = tap.buf;
  let pos = tap.pos;
  while (hi !== 0 || lo > 0x7f) {
    buf[pos++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | ((hi & 0x7f) << 25)) >>> 0;
    hi >>>= 7;
  }
  buf[pos++] = lo;
  tap.pos = pos; // past the end: avsc sees the tap as invalid and retries with a larger buffer
}

function readWide(tap: Tap): bigint | undefined {
  const buf = tap.buf;
  const end = Math.min(tap.pos + LONGEST_VARINT, buf.length);
  let lo = 0;
  let hi = 0;
  let shift = 0;
  for (let i = tap.pos; i < end; i++, shift += 7) {
    const b = buf[i]!;
    if (shift < 28) lo |= (b & 0x7f) << shift;
    else if (shift === 28) {
      lo |= (b & 0x0f) << 28;
      hi |= (b & 0x7f) >>> 4;
    } else hi |= (b & 0x7f) << (shift - 32);
    if ((b & 0x80) === 0) {
      tap.pos = i + 1;
      const mask = -(lo & 1); // zig-zag back, (z >>> 1) ^ -(z & 1), on the halves
      halves.setUint32(0, ((lo >>> 1) | (hi << 31)) ^ mask, true);
      halves.setUint32(4, (hi >>> 1) ^ mask, true);
      return halves.getBigInt64(0, true);
    }
  }
  return exact._read(tap);
}

/**
 * The same type, without avsc's detour through an 8-byte Buffer per long (an allocation and a
 * byte-wise repack on every read and write): longs that fit a double exactly take avsc's number
 * varint code, wider ones two 32-bit halves; anything invalid goes the exact way above. Same
 * bytes, same values (avro-long.test.ts).
 */
export const bigintLongType: typeof exactLongType = Object.freeze(
  Object.assign(Object.create(exactLongType) as typeof exactLongType, {
    _read(tap: Tap): bigint | undefined {
      const buf = tap.buf;
      const end = Math.min(tap.pos + SHORT_VARINT, buf.length);
      for (let i = tap.pos; i < end; i++) if ((buf[i]! & 0x80) === 0) return BigInt(tap.readLong());
      return readWide(tap);
    },
    _write(tap: Tap, n: unknown): void {
      if (typeof n !== 'bigint' || n < INT64_MIN || n > INT64_MAX) exact._write(tap, n);
      else if (n < WRITE_LIMIT && n > -WRITE_LIMIT) tap.writeLong(Number(n));
      else writeWide(tap, n);
    },
  }),
);

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

/** The type without the fast paths, to compare against in tests. */
export const referenceLongType = exactLongType;
