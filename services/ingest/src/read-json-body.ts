import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

/** A body the client got wrong: the status and message to answer with. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
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

/** Reads what is left of the request so that the connection can be kept; resolves when done. */
function drain(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.readableEnded) return resolve();
    stream
      .on('end', resolve)
      .on('error', () => resolve())
      .on('close', resolve);
    stream.resume();
  });
}

interface Collected {
  chunks: Buffer[];
  bytes: number;
  received: number;
  over: boolean;
}

/** Events rather than async iteration: a body is one or two chunks, and this runs per request. */
function collect(req: Readable, source: Readable, maxBytes: number): Promise<Collected> {
  return new Promise((resolve, reject) => {
    const out: Collected = { chunks: [], bytes: 0, received: 0, over: false };
    let ended = false;
    if (source !== req) req.on('data', (c: Buffer) => (out.received += c.length));
    source.on('data', (c: Buffer) => {
      if (source === req) out.received += c.length;
      out.bytes += c.length;
      if (out.bytes > maxBytes) out.over = true;
      if (!out.over) out.chunks.push(c);
    });
    source.on('end', () => {
      ended = true;
      resolve(out);
    });
    source.on('error', reject);
    req.on('error', reject);
    req.on('close', () => {
      if (!ended && !req.readableEnded) reject(new Error('aborted'));
    });
  });
}

/**
 * The JSON body of a request, as express.json({ strict: false }) read it before (the ingest's
 * answers did not change): any content type, UTF-8, gzip or deflate, an empty body is {}; the
 * limit is checked on the declared length first and on what arrives. It replaced body-parser on the
 * two POST routes because body-parser, express's router and their listeners were a fifth of the
 * ingest's CPU per event (docs/BENCHMARKS.md). Rejects with BodyError only for the client's
 * mistakes; the request is read to its end first, so the connection stays usable.
 */
export async function readJsonBody(req: Readable, headers: IncomingHttpHeaders, limits: BodyLimits): Promise<unknown> {
  const declared = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  const fail = async (status: 400 | 413 | 415, message: string): Promise<never> => {
    await drain(req);
    throw new BodyError(status, message);
  };
  const tooLarge = `body exceeds ${limits.maxLabel}`;
  const charset = charsetOf(headers['content-type']);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    return fail(415, `unsupported charset "${charset.toUpperCase()}"`);
  const encoding = (headers['content-encoding'] ?? 'identity').toLowerCase();
  let source: Readable;
  if (encoding === 'identity') {
    if (declared !== undefined && declared > limits.maxBytes) return fail(413, tooLarge);
    source = req;
  } else if (encoding === 'gzip' || encoding === 'deflate') {
    source = req.pipe(encoding === 'gzip' ? createGunzip() : createInflate());
  } else {
    return fail(415, `unsupported content encoding "${encoding}"`);
  }

  const { chunks, bytes, received, over } = await collect(req, source, limits.maxBytes).catch((err: Error) =>
    source === req ? Promise.reject(new BodyError(400, 'request aborted')) : fail(400, `body is not valid ${encoding}: ${err.message}`),
  );
  if (over) return fail(413, tooLarge);
  if (declared !== undefined && received !== declared) throw new BodyError(400, 'request size did not match content length');
  if (bytes === 0) return {};
  let text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks, bytes).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new BodyError(400, `malformed JSON: ${(err as Error).message}`);
  }
}
