import { Readable } from 'node:stream';
import { byteLines } from './byte-lines';

async function lines(chunks: Array<string | number[]>): Promise<string[]> {
  const out: string[] = [];
  const stream = Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : Buffer.from(c))));
  for await (const l of byteLines(stream)) out.push(l.toString('latin1'));
  return out;
}

describe('byteLines', () => {
  it('splits on \\n and \\r\\n, keeps empty lines, and a last line without a newline', async () => {
    expect(await lines(['a\nb\r\n\nc'])).toEqual(['a', 'b', '', 'c']);
    expect(await lines(['a\n'])).toEqual(['a']);
    expect(await lines([])).toEqual([]);
  });

  it('joins lines that span chunks, a \\r\\n split between them included', async () => {
    expect(await lines(['{"a":', '1}\r', '\n{"b"', ':2}', '\n'])).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('yields the bytes as they are: an invalid byte is not replaced', async () => {
    const out: Buffer[] = [];
    for await (const l of byteLines(Readable.from([Buffer.from([0x22, 0xff, 0x22, 0x0a, 0xef, 0xbf, 0xbd])]))) out.push(Buffer.from(l));
    expect(out.map((b) => [...b])).toEqual([
      [0x22, 0xff, 0x22],
      [0xef, 0xbf, 0xbd],
    ]);
  });
});
