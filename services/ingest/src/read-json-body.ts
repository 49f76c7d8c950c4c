import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import { isUtf8 } from 'node:buffer';
import { createGunzip, createInflate } from 'node:zlib';

/**
 * A body the client got wrong: the status and message to answer with. `close` says the body was
 * not read to its end (it was over the limit): the answer must close the connection, since what
 * follows on it is the rest of that body, not a next request.
 */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
    readonly close = false,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

export interface BodyLimits {
  /** Largest body taken, in bytes after inflating. */
  maxBytes: number;
  /** How the limit is named in the 413 message ("1mb"). */
  maxLabel: string;
}

function charsetOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return m?.[1]?.toLowerCase();
}

/**
 * Reads what is left of the request so that the connection can be kept, up to `maxBytes` more;
 * resolves true when it reached the end, false when it stopped (the connection must then close).
 */
function drain(stream: Readable, maxBytes: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (stream.readableEnded) return resolve(true);
    let bytes = 0;
    const onData = (c: Buffer) => {
      bytes += c.length;
      if (bytes <= maxBytes) return;
      stream.off('data', onData).pause();
      resolve(false);
    };
    stream
      .on('data', onData)
      .on('end', () => resolve(true))
      .on('error', () => resolve(false))
      .on('close', () => resolve(stream.readableEnded));
    stream.resume();
  });
}

interface Collected {
  chunks: Buffer[];
  bytes: number;
  received: number;
  over: boolean;
}

/**
 * Events rather than async iteration: a body is one or two chunks, and this runs per request.
 * Stops at the first byte past the limit, received or inflated: the rest is neither read nor
 * inflated (a 300 MB upload or a 512 MiB gzip bomb costs what its first MiB costs).
 */
function collect(req: Readable, source: Readable, maxBytes: number): Promise<Collected> {
  return new Promise((resolve, reject) => {
    const out: Collected = { chunks: [], bytes: 0, received: 0, over: false };
    let settled = false;
    const stop = () => {
      settled = true;
      out.over = true;
      out.chunks.length = 0;
      req.pause();
      if (source !== req) {
        req.unpipe(source as Duplex);
        source.destroy();
      }
      resolve(out);
    };
    if (source !== req)
      req.on('data', (c: Buffer) => {
        out.received += c.length;
        if (out.received > maxBytes && !settled) stop();
      });
    source.on('data', (c: Buffer) => {
      if (settled) return;
      if (source === req) out.received += c.length;
      out.bytes += c.length;
      if (out.bytes > maxBytes) return stop();
      out.chunks.push(c);
    });
    source.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(out);
    });
    source.on('error', (err) => settled || reject(err));
    req.on('error', (err) => settled || reject(err));
    req.on('close', () => {
      if (!settled && !req.readableEnded) reject(new Error('aborted'));
    });
  });
}

/**
 * The JSON body of a request, as express.json({ strict: false }) read it before (the ingest's
 * answers did not change): any content type, UTF-8, gzip or deflate, an empty body is {}; the
 * limit is checked on the declared length first and on what arrives. It replaced body-parser on the
 * two POST routes because body-parser, express's router and their listeners were a fifth of the
 * ingest's CPU per event (docs/BENCHMARKS.md). Rejects with BodyError only for the client's
 * mistakes. A body within the limit is read to its end first, so the connection stays usable; one
 * over the limit (declared, received, or inflated) is refused at once with `close` set. Bytes that
 * are not UTF-8 are refused (CONTRACT §1), never decoded with U+FFFD in their place.
 */
export async function readJsonBody(req: Readable, headers: IncomingHttpHeaders, limits: BodyLimits): Promise<unknown> {
  const declared = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  const tooLarge = `body exceeds ${limits.maxLabel}`;
  // Compressed or not, more bytes than the limit on the wire is over it: never wait for them.
  if (declared !== undefined && declared > limits.maxBytes) throw new BodyError(413, tooLarge, true);
  const fail = async (status: 400 | 413 | 415, message: string): Promise<never> => {
    const complete = await drain(req, limits.maxBytes);
    throw new BodyError(status, message, !complete);
  };
  const charset = charsetOf(headers['content-type']);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    return fail(415, `unsupported charset "${charset.toUpperCase()}"`);
  const encoding = (headers['content-encoding'] ?? 'identity').toLowerCase();
  let source: Readable;
  if (encoding === 'identity') {
    source = req;
  } else if (encoding === 'gzip' || encoding === 'deflate') {
    source = req.pipe(encoding === 'gzip' ? createGunzip() : createInflate());
  } else {
    return fail(415, `unsupported content encoding "${encoding}"`);
  }

  const { chunks, bytes, received, over } = await collect(req, source, limits.maxBytes).catch((err: Error) =>
    source === req ? Promise.reject(new BodyError(400, 'request aborted')) : fail(400, `body is not valid ${encoding}: ${err.message}`),
  );
  if (over) throw new BodyError(413, tooLarge, true);
  if (declared !== undefined && received !== declared) throw new BodyError(400, 'request size did not match content length');
  if (bytes === 0) return {};
  const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, bytes);
  if (!isUtf8(raw)) throw new BodyError(400, 'body is not valid UTF-8');
  let text = raw.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new BodyError(400, `malformed JSON: ${(err as Error).message}`);
  }
}
