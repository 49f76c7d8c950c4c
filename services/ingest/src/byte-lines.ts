import type { Readable } from 'node:stream';

/**
 * The lines of a byte stream as raw bytes, split on "\n" (a "\r" before it is dropped). Bytes,
 * not text: a stream decoded as UTF-8 turns invalid bytes into U+FFFD before anyone can see them,
 * so a caller could not tell a line with a broken byte from one with a real U+FFFD. A line within
 * one chunk is a view of it, not a copy; only lines that span chunks are copied once.
 */
export async function* byteLines(input: Readable): AsyncGenerator<Buffer> {
  let carry: Buffer | undefined;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, nl);
      yield trimCr(carry ? Buffer.concat([carry, piece]) : piece);
      carry = undefined;
      start = nl + 1;
    }
    if (start < chunk.length) carry = carry ? Buffer.concat([carry, chunk.subarray(start)]) : Buffer.from(chunk.subarray(start));
  }
  if (carry && carry.length > 0) yield trimCr(carry);
}

const trimCr = (line: Buffer): Buffer => (line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line);
