/**
 * The produce path of kafkajs is patched for speed (patches/kafkajs+2.2.4+002+performance.patch): murmur2 in 32-bit
 * arithmetic, records written into one Buffer, partitions grouped without copying. Nothing may
 * change on the wire or in where a key goes, so each part is checked against an independent
 * reference here; the real-broker tests (publisher ordering, fault suite) run through it as well.
 */
import { randomBytes } from 'node:crypto';

/* eslint-disable @typescript-eslint/no-require-imports */
type Murmur2 = (key: Buffer | string) => number;
type Msg = {
  key?: Buffer | string | null;
  value?: Buffer | string | null;
  headers?: Record<string, string | Buffer | string[]>;
  timestamp?: string | number;
};
const murmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as Murmur2;
const encodeRecords = require('kafkajs/src/protocol/recordBatch/record/v0/encodeRecords') as (
  messages: Msg[],
  timestampDeltaOf: (m: Msg) => number,
) => Buffer;
// Upstream's per-record encoder, which the patch leaves as it was (and falls back to).
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (r: Msg & { offsetDelta: number; timestampDelta: number }) => {
  buffer: Buffer;
};
const groupMessagesPerPartition = require('kafkajs/src/producer/groupMessagesPerPartition') as (a: {
  topic: string;
  partitionMetadata: Array<{ partitionId: number; leader: number }>;
  messages: Msg[];
  partitioner: (a: { topic: string; partitionMetadata: unknown[]; message: Msg }) => number;
}) => Record<string, Msg[]>;
const { Partitioners } = require('kafkajs') as typeof import('kafkajs');
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number;
const Encoder = require('kafkajs/src/protocol/encoder') as new (size?: number) => {
  writeInt32(v: number): unknown;
  writeString(v: string): unknown;
  buffer: Buffer;
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Upstream's algorithm (kafkajs 2.2.4, after Kafka's Java client) in 64-bit BigInt arithmetic. */
function murmur2Reference(key: Buffer): number {
  const mask = (1n << 64n) - 1n;
  const M = 0x5bd1e995n;
  const low32Unsigned = (x: bigint) => Number(x & 0xffffffffn);
  const toInt = (x: bigint) => Number(BigInt.asIntN(32, x));
  let h = (0x9747b28cn ^ BigInt(key.length)) & mask;
  for (let i = 0; i + 4 <= key.length; i += 4) {
    let k = BigInt.asUintN(64, BigInt(key[i]! + (key[i + 1]! << 8) + (key[i + 2]! << 16) + (key[i + 3]! << 24)));
    k = (k * M) & mask;
    k ^= BigInt(toInt(k) >>> 24);
    k = (k * M) & mask;
    h = (h * M) & mask;
    h ^= k;
  }
  const tail = key.length & ~3;
  const rest = key.length % 4;
  if (rest === 3) h ^= BigInt(key[tail + 2]! << 16);
  if (rest >= 2) h ^= BigInt(key[tail + 1]! << 8);
  if (rest >= 1) {
    h ^= BigInt(key[tail]!);
    h = (h * M) & mask;
  }
  h ^= BigInt(toInt(h) >>> 13);
  h = (h * M) & mask;
  h ^= BigInt(toInt(h) >>> 15);
  return toInt(BigInt(low32Unsigned(h)));
}

describe('patched murmur2', () => {
  it("gives Kafka's own test vectors (UtilsTest.testMurmur2)", () => {
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482);
    expect(murmur2(Buffer.from('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(Buffer.from('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(Buffer.from('abc'))).toBe(479470107);
  });

  it('equals the 64-bit reference on 20,000 random keys of 0–40 bytes, as Buffers and as strings', () => {
    for (let i = 0; i < 20_000; i++) {
      const key = randomBytes(i % 41);
      expect(murmur2(key)).toBe(murmur2Reference(key));
      const text = `${i % 50}:${100_000 + i}ü${key.toString('hex')}`;
      expect(murmur2(text)).toBe(murmur2Reference(Buffer.from(text)));
    }
  });
});

describe('patched record encoding', () => {
  const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
  const message = (): Msg => {
    const m: Msg = {
      key: pick([null, undefined, randomBytes(Math.floor(Math.random() * 300)), `7:${Math.random()}`, '€😀'.repeat(40), '']),
      value: pick([null, randomBytes(46), randomBytes(20_000), 'text ü'.repeat(30), Buffer.alloc(0)]),
    };
    const h = Math.random();
    if (h < 0.2) m.headers = { reason: 'poison', raw: Buffer.from('xy'), many: ['1', '2'] };
    else if (h < 0.3) m.headers = {};
    return m;
  };
  // Deltas as the produce request computes them; ±2^31 and beyond take the fallback.
  const deltas = [0, 1, 63, 64, 8191, 8192, 2 ** 30, 2 ** 31 - 1, 2 ** 31, -1, -(2 ** 31 - 1), -(2 ** 31), 10 ** 12];

  it('writes the bytes of upstream Record for every kind of key, value, header and timestamp', () => {
    for (let round = 0; round < 200; round++) {
      const messages = Array.from({ length: Math.floor(Math.random() * 80) }, message);
      const delta = new Map(messages.map((m) => [m, pick(deltas)]));
      const deltaOf = (m: Msg) => delta.get(m)!;
      const upstream = Buffer.concat(messages.map((m, i) => Record({ ...m, offsetDelta: i, timestampDelta: deltaOf(m) }).buffer));
      expect(encodeRecords(messages, deltaOf).equals(upstream)).toBe(true);
    }
  });

  it('numbers offsets past one varint byte (records 0–199 of one batch)', () => {
    const messages = Array.from({ length: 200 }, (_, i) => ({ key: `k${i}`, value: Buffer.from([i]) }));
    const upstream = Buffer.concat(messages.map((m, i) => Record({ ...m, offsetDelta: i, timestampDelta: 5 }).buffer));
    expect(encodeRecords(messages, () => 5).equals(upstream)).toBe(true);
  });
});

describe('patched partition grouping', () => {
  it("sends each key where upstream's default partitioner would, keeping the order within a partition", () => {
    const partitionMetadata = Array.from({ length: 12 }, (_, partitionId) => ({ partitionId, leader: partitionId === 3 ? -1 : 0 }));
    const partitioner = Partitioners.DefaultPartitioner() as unknown as (a: {
      topic: string;
      partitionMetadata: unknown[];
      message: Msg;
    }) => number;
    const messages = Array.from({ length: 1000 }, (_, i) => ({ key: `${i % 37}:${i % 7}`, value: String(i) }));
    const grouped = groupMessagesPerPartition({ topic: 't', partitionMetadata, messages, partitioner });
    const expected: Record<string, Msg[]> = {};
    for (const m of messages) (expected[(murmur2Reference(Buffer.from(m.key)) & 0x7fffffff) % 12] ??= []).push(m);
    expect(grouped).toEqual(expected);
    expect(Object.values(grouped).reduce((n, ms) => n + ms.length, 0)).toBe(1000);
  });
});

describe('patched CRC-32C', () => {
  // Bit by bit, straight from the polynomial (Castagnoli, reflected 0x82f63b78).
  const reference = (buf: Buffer) => {
    let crc = 0xffffffff;
    for (const byte of buf) {
      crc ^= byte;
      for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
    }
    return (crc ^ 0xffffffff) >>> 0;
  };

  it('gives the standard check value and the reference on every length 0–300 and 100 KB', () => {
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283);
    for (let n = 0; n <= 300; n++) {
      const buf = randomBytes(n);
      expect(crc32C(buf)).toBe(reference(buf));
    }
    const big = randomBytes(100_000);
    expect(crc32C(big)).toBe(reference(big));
  });
});

describe('patched Encoder', () => {
  it('hands out exactly the bytes written, growing past its first size (no stale bytes from unzeroed memory)', () => {
    Buffer.allocUnsafe(4096).fill(0xee); // leave recognisable garbage in the pool
    const e = new Encoder(4);
    const expected: Buffer[] = [];
    for (let i = 0; i < 300; i++) {
      e.writeInt32(i);
      e.writeString(`s${i}`);
      const n = Buffer.alloc(4);
      n.writeInt32BE(i);
      const len = Buffer.alloc(2);
      len.writeInt16BE(Buffer.byteLength(`s${i}`));
      expected.push(n, len, Buffer.from(`s${i}`));
    }
    expect(e.buffer.equals(Buffer.concat(expected))).toBe(true);
  });
});
