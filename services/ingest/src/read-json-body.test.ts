import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { deflateSync, gzipSync } from 'node:zlib';
import { BodyError, readJsonBody } from './read-json-body';

const LIMITS = { maxBytes: 64, maxLabel: '64b' };

function request(parts: Array<string | Buffer>, headers: IncomingHttpHeaders = {}) {
  const stream = Readable.from(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
  return { stream, headers };
}

async function refusal(parts: Array<string | Buffer>, headers: IncomingHttpHeaders = {}) {
  const r = request(parts, headers);
  const err = await readJsonBody(r.stream, r.headers, LIMITS).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof BodyError)) throw new Error(`expected a BodyError, got ${String(err)}`);
  // Within the limit, read to its end so that a kept-alive connection can carry the next request;
  // past it, not read on, and the answer closes the connection.
  expect([err.status, err.close, r.stream.readableEnded || err.close]).toEqual([err.status, err.status === 413, true]);
  return [err.status, err.message];
}

describe('readJsonBody', () => {
  it('parses a body that arrives in pieces, any content type, with or without charset=utf-8', async () => {
    const r = request(['{"events":[1,', '2]}'], { 'content-type': 'text/plain; charset=UTF-8', 'content-length': '16' });
    await expect(readJsonBody(r.stream, r.headers, LIMITS)).resolves.toEqual({ events: [1, 2] });
    const bare = request(['"x"']);
    await expect(readJsonBody(bare.stream, bare.headers, LIMITS)).resolves.toBe('x');
  });

  it('reads an empty body as {} and drops a byte-order mark, as express.json did', async () => {
    const empty = request([], { 'content-length': '0' });
    await expect(readJsonBody(empty.stream, empty.headers, LIMITS)).resolves.toEqual({});
    const bom = request(['\ufeff{"a":1}']);
    await expect(readJsonBody(bom.stream, bom.headers, LIMITS)).resolves.toEqual({ a: 1 });
  });

  it('inflates gzip and deflate bodies and applies the limit after inflating', async () => {
    const gz = request([gzipSync('{"a":"é"}')], { 'content-encoding': 'gzip' });
    await expect(readJsonBody(gz.stream, gz.headers, LIMITS)).resolves.toEqual({ a: 'é' });
    const df = request([deflateSync('[1,2,3]')], { 'content-encoding': 'DEFLATE' });
    await expect(readJsonBody(df.stream, df.headers, LIMITS)).resolves.toEqual([1, 2, 3]);
    const bomb = gzipSync(`"${'x'.repeat(10_000)}"`);
    expect(bomb.length).toBeLessThan(LIMITS.maxBytes);
    expect(await refusal([bomb], { 'content-encoding': 'gzip' })).toEqual([413, 'body exceeds 64b']);
    const [status, message] = await refusal(['not gzip at all'], { 'content-encoding': 'gzip' });
    expect(status).toBe(400);
    expect(message).toMatch(/^body is not valid gzip: /);
  });

  it('answers the client’s mistakes with the status and message to send', async () => {
    expect(await refusal(['{"a":'])).toEqual([400, 'malformed JSON: Unexpected end of JSON input']);
    expect(await refusal(['{}'], { 'content-length': '65' })).toEqual([413, 'body exceeds 64b']);
    expect(await refusal(['x'.repeat(40), 'y'.repeat(40)])).toEqual([413, 'body exceeds 64b']);
    expect(await refusal(['{}'], { 'content-type': 'application/json; charset=latin1' })).toEqual([415, 'unsupported charset "LATIN1"']);
    expect(await refusal(['{}'], { 'content-encoding': 'br' })).toEqual([415, 'unsupported content encoding "br"']);
    expect(await refusal(['{}'], { 'content-length': '3' })).toEqual([400, 'request size did not match content length']);
  });

  it('refuses bytes that are not UTF-8 instead of decoding them as U+FFFD', async () => {
    for (const bad of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]])
      expect(await refusal([Buffer.from('"a'), Buffer.from(bad), Buffer.from('"')])).toEqual([400, 'body is not valid UTF-8']);
    const gz = request([gzipSync(Buffer.from([0x22, 0xff, 0x22]))], { 'content-encoding': 'gzip' });
    await expect(readJsonBody(gz.stream, gz.headers, LIMITS)).rejects.toThrow('body is not valid UTF-8');
    const ok = request(['"\u00e9\u4e2d\ud83d\ude00"']);
    await expect(readJsonBody(ok.stream, ok.headers, LIMITS)).resolves.toBe('\u00e9\u4e2d\ud83d\ude00');
  });

  it('stops reading and inflating at the first byte past the limit', async () => {
    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled += 16;
        this.push(Buffer.alloc(16, 0x20));
      },
    });
    const err = (await readJsonBody(endless, {}, LIMITS).catch((e: unknown) => e)) as BodyError;
    expect([err.status, err.close]).toEqual([413, true]);
    // A readable buffers ahead up to its highWaterMark (16 KiB) of what it was asked for.
    expect(pulled).toBeLessThanOrEqual(64 + 16 * 1024 + 16);
    const stoppedAt = pulled;
    await new Promise((r) => setTimeout(r, 20));
    expect(pulled).toBe(stoppedAt);
    const compressed = Buffer.from(gzipSync(Buffer.alloc(1_000_000)));
    const inflating = request([compressed.subarray(0, 40), compressed.subarray(40)], { 'content-encoding': 'gzip' });
    await expect(readJsonBody(inflating.stream, inflating.headers, LIMITS)).rejects.toMatchObject({ status: 413, close: true });
  });

  it('takes a body of exactly the limit', async () => {
    const body = `"${'z'.repeat(LIMITS.maxBytes - 2)}"`;
    const r = request([body], { 'content-length': String(body.length) });
    await expect(readJsonBody(r.stream, r.headers, LIMITS)).resolves.toBe('z'.repeat(62));
  });
});
