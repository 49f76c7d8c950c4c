import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { createGzip, gzipSync } from 'node:zlib';
import { createTestTopics, startService, waitFor, type ServiceProcess, type TestTopics } from '@fan/test-support';

/**
 * Bounded resources at the HTTP ingest (issue 22), on a real ingest process: a body is refused as
 * soon as it is known to be over the limit (declared, streamed or inflated), without reading the
 * rest, and a body that is not UTF-8 is refused instead of being decoded with replacements. The
 * figures (bytes the server read, CPU it spent) come from /proc/<pid> of the ingest process.
 */
const TOKEN = 'body-limits-token';
const MiB = 1024 * 1024;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const opened: Socket[] = [];

/** A raw HTTP/1.1 connection: what is sent is exactly what the test writes. */
function rawConnection(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  opened.push(socket);
  let data = Buffer.alloc(0);
  let answered: Answer | undefined;
  const answers: Answer[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  socket.on('data', (c: Buffer) => {
    data = Buffer.concat([data, c]);
    for (;;) {
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) break;
      const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      const length = Number(headers['content-length'] ?? 0);
      if (data.length < end + 4 + length) break;
      answered = {
        status: Number(statusLine!.split(' ')[1]),
        headers,
        body: data.subarray(end + 4, end + 4 + length).toString('utf8'),
      };
      answers.push(answered);
      data = data.subarray(end + 4 + length);
      wake?.();
    }
  });
  // Writes after the server dropped the connection fail with EPIPE or ECONNRESET: that is the point.
  socket.on('error', () => undefined);
  const gone = new Promise<void>((resolve) => socket.on('close', () => ((closed = true), wake?.(), resolve())));
  const next = (timeoutMs: number) =>
    new Promise<Answer | undefined>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve(answers.shift());
      };
      const timer = setTimeout(done, timeoutMs);
      if (answers.length > 0 || closed) return done();
      wake = done;
    });
  return {
    socket,
    /** The next answer, or undefined if none came in time (or the connection closed without one). */
    next,
    /** Resolves once the server closed the connection; false if it did not within timeoutMs. */
    closedWithin: (timeoutMs: number) =>
      Promise.race([gone.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs))]),
    get answered() {
      return answered !== undefined;
    },
    get closed() {
      return closed;
    },
  };
}

const head = (path: string, headers: Record<string, string | number>) =>
  `POST ${path} HTTP/1.1\r\nhost: ingest\r\nauthorization: Bearer ${TOKEN}\r\n` +
  Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('') +
  '\r\n';

/** Bytes the process has read through read(2) so far (sockets included), and its CPU time in ms. */
function procFigures(pid: number) {
  const rchar = Number(/rchar: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))![1]);
  // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name: utime, stime in ticks.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const [utime, stime] = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .slice(11, 13)
    .map(Number);
  return { rchar, cpuMs: (utime! + stime!) * 10 };
}

/** A gzip stream of `bytes` zeros, built piece by piece (a 512 MB buffer would not be cheap either). */
async function gzipOfZeros(bytes: number): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => gz.on('end', resolve));
  const zeros = Buffer.alloc(MiB);
  for (let sent = 0; sent < bytes; sent += MiB) if (!gz.write(zeros)) await new Promise((r) => gz.once('drain', r));
  gz.end();
  await done;
  return Buffer.concat(out);
}

const figures: string[] = [];

describe('ingest body limits: refused at once, never read or inflated past the limit, UTF-8 only', () => {
  let t: TestTopics;
  let ingest: ServiceProcess;
  let port: number;
  let pid: number;
  let base: string;

  beforeAll(async () => {
    t = await createTestTopics(1);
    ingest = startService('ingest', { TOPIC_PREFIX: t.prefix, EVENT_PARTITIONS: '1', INGEST_PORT: '0', INGEST_TOKEN: TOKEN });
    port = Number(await waitFor('ingest listening', async () => /"port":(\d+),"topic"/.exec(ingest.output())?.[1], 60_000));
    pid = ingest.child.pid!;
    base = `http://127.0.0.1:${port}`;
  }, 90_000);

  afterAll(async () => {
    // A connection the ingest kept open would hold its graceful shutdown.
    for (const s of opened) s.destroy();
    await ingest?.stop();
    await t?.cleanup();
    if (figures.length) process.stdout.write(`body-limits figures:\n${figures.join('\n')}\n`);
  });

  const post = (path: string, body: Buffer | string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
  const healthy = async () => (await fetch(`${base}/openapi.json`)).status === 200;

  it.each([
    ['a raw 0xFF byte', Buffer.from([0xff])],
    ['an overlong encoding of "/"', Buffer.from([0xc0, 0xaf])],
    ['a UTF-8-encoded surrogate', Buffer.from([0xed, 0xa0, 0x80])],
  ])('answers 400 to a body holding %s, on the direct path, through express and gzip’d', async (_n, bad) => {
    const body = Buffer.concat([
      Buffer.from('{"events":[{"event_id":"p-'),
      bad,
      Buffer.from(`","event_type":"crystal.change","user_id":"5","star_id":"7","occurred_at":${Date.now()},`),
      Buffer.from('"properties":{"amount":1,"balance_after":1,"reason":"x"}}]}'),
    ]);
    for (const [path, sent, headers] of [
      ['/v1/events/batch', body, {}],
      ['/v1/events/batch/', body, {}],
      ['/v1/events/batch', gzipSync(body), { 'content-encoding': 'gzip' }],
    ] as const) {
      const res = await post(path, sent, headers);
      expect([path, res.status, await res.json()]).toEqual([path, 400, { code: 400, message: 'body is not valid UTF-8' }]);
    }
  });

  it('answers 413 at once to a declared length of 1 GiB, and closes the connection', async () => {
    const c = rawConnection(port);
    const started = Date.now();
    c.socket.write(head('/v1/events/batch', { 'content-type': 'application/json', 'content-length': 1024 ** 3 }) + '{}');
    const answer = await c.next(10_000);
    const ms = Date.now() - started;
    figures.push(`declared 1 GiB, 2 bytes sent: ${answer ? `${answer.status} after ${ms} ms` : 'no answer in 10 s'}`);
    expect(answer).toEqual({
      status: 413,
      headers: expect.objectContaining({ connection: 'close' }),
      body: '{"code":413,"message":"body exceeds 1mb"}',
    });
    expect(await c.closedWithin(5_000)).toBe(true);
    // The same through express, and before the token is even looked at.
    for (const [path, auth] of [
      ['/v1/events/batch/', true],
      ['/v1/events', false],
    ] as const) {
      const d = rawConnection(port);
      const h = head(path, { 'content-length': 1024 ** 3 });
      d.socket.write(auth ? h : h.replace(/authorization: .*\r\n/, ''));
      const a = await d.next(10_000);
      expect([path, a?.status, a?.headers.connection]).toEqual([path, auth ? 413 : 401, 'close']);
      expect(await d.closedWithin(5_000)).toBe(true);
    }
  });

  it('stops reading a chunked body of 300 MB once it passes 1 MiB: 413, connection closed', async () => {
    const c = rawConnection(port);
    const before = procFigures(pid);
    c.socket.write(head('/v1/events/batch', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }));
    const piece = Buffer.alloc(64 * 1024, 0x20);
    const frame = Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]);
    const started = Date.now();
    let sent = 0;
    while (!c.answered && !c.closed && sent < 300 * MiB) {
      sent += piece.length;
      if (!c.socket.write(frame))
        await new Promise<void>((resolve) => {
          const check = setInterval(() => (c.answered || c.closed) && done(), 20);
          const done = () => (clearInterval(check), resolve());
          c.socket.once('drain', done);
        });
    }
    const answer = await c.next(30_000);
    const ms = Date.now() - started;
    const read = procFigures(pid).rchar - before.rchar;
    figures.push(
      `chunked 300 MB: ${answer?.status ?? 'no answer'} after ${ms} ms; client wrote ${(sent / MiB).toFixed(1)} MiB, ` +
        `server read ${(read / MiB).toFixed(1)} MiB`,
    );
    expect([answer?.status, answer?.headers.connection, answer?.body]).toEqual([413, 'close', '{"code":413,"message":"body exceeds 1mb"}']);
    expect(await c.closedWithin(5_000)).toBe(true);
    // Read syscalls of the whole process, Kafka's included: the body itself stopped near 1 MiB.
    expect(read).toBeLessThan(4 * MiB);
    expect(sent).toBeLessThan(32 * MiB);
    expect(await healthy()).toBe(true);
  }, 120_000);

  it('stops inflating a gzip bomb (512 MiB of zeros in ~0.5 MB) once it passes 1 MiB', async () => {
    const bomb = await gzipOfZeros(512 * MiB);
    expect(bomb.length).toBeLessThan(MiB);
    const before = procFigures(pid);
    const started = Date.now();
    const res = await post('/v1/events/batch', bomb, { 'content-encoding': 'gzip' });
    const ms = Date.now() - started;
    const body = await res.json();
    const cpuMs = procFigures(pid).cpuMs - before.cpuMs;
    figures.push(`gzip bomb (${(bomb.length / 1000).toFixed(0)} kB -> 512 MiB): ${res.status} after ${ms} ms, ingest CPU ${cpuMs} ms`);
    expect([res.status, res.headers.get('connection'), body]).toEqual([413, 'close', { code: 413, message: 'body exceeds 1mb' }]);
    // Inflating all of it costs the ingest ~0.5 s of CPU or more; stopping at 1 MiB, a few ms.
    expect(cpuMs).toBeLessThan(200);
    expect(await healthy()).toBe(true);
  }, 120_000);

  it('refuses compressed bytes past the limit without inflating them', async () => {
    const c = rawConnection(port);
    c.socket.write(head('/v1/events/batch', { 'content-encoding': 'gzip', 'transfer-encoding': 'chunked' }));
    // 3 MiB of gzip that inflates to itself at best (random bytes stored): the compressed count trips.
    const noise = gzipSync(Buffer.from(Array.from({ length: 3 * MiB }, (_, i) => (i * 2654435761) >>> 24)), { level: 0 });
    for (let i = 0; i < noise.length && !c.answered && !c.closed; i += 64 * 1024) {
      const piece = noise.subarray(i, i + 64 * 1024);
      c.socket.write(`${piece.length.toString(16)}\r\n`);
      c.socket.write(piece);
      c.socket.write('\r\n');
      await new Promise((r) => setImmediate(r));
    }
    const answer = await c.next(10_000);
    expect([answer?.status, answer?.headers.connection]).toEqual([413, 'close']);
    expect(await c.closedWithin(5_000)).toBe(true);
  });

  it('keeps a connection usable after answers to bodies within the limit, refusals included', async () => {
    const c = rawConnection(port);
    const send = (path: string, body: string | Buffer, headers: Record<string, string | number> = {}) => {
      const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
      c.socket.write(head(path, { 'content-length': b.length, ...headers }));
      c.socket.write(b);
      return c.next(10_000);
    };
    const answers = [
      await send('/v1/events/batch', '{"events":'),
      await send('/v1/events/batch', Buffer.from([0x7b, 0xff, 0x7d])),
      await send('/v1/events/batch', '{}', { 'content-type': 'application/json; charset=latin1' }),
      await send('/v1/events/batch', Buffer.from('\ufeff{"events":[]}')),
      await send('/v1/events', ''),
    ];
    expect(answers.map((a) => [a?.status, a?.headers.connection, a?.body])).toEqual([
      [400, 'keep-alive', '{"code":400,"message":"malformed JSON: Unexpected end of JSON input"}'],
      [400, 'keep-alive', '{"code":400,"message":"body is not valid UTF-8"}'],
      [415, 'keep-alive', '{"code":415,"message":"unsupported charset \\"LATIN1\\""}'],
      [400, 'keep-alive', '{"code":400,"message":"events must not be empty"}'],
      [400, 'keep-alive', expect.stringContaining('"accepted":0,"rejected":1')],
    ]);
    expect(c.closed).toBe(false);
    c.socket.destroy();
  });

  it('marks every answer nosniff and the JSON answers no-store, on the direct path and through express', async () => {
    const answers = [
      await post('/v1/events/batch', '{"events":[]}'),
      await post('/v1/events/batch/', '{"events":[]}'),
      await post('/v1/events', '{}', { authorization: 'Bearer wrong' }),
      await fetch(`${base}/openapi.json`),
      await fetch(`${base}/healthz`),
      await fetch(`${base}/metrics`),
      await fetch(`${base}/nowhere`),
    ];
    expect(answers.map((r) => [r.url.slice(base.length), r.status, r.headers.get('x-content-type-options')])).toEqual([
      ['/v1/events/batch', 400, 'nosniff'],
      ['/v1/events/batch/', 400, 'nosniff'],
      ['/v1/events', 401, 'nosniff'],
      ['/openapi.json', 200, 'nosniff'],
      ['/healthz', 200, 'nosniff'],
      ['/metrics', 200, 'nosniff'],
      ['/nowhere', 404, 'nosniff'],
    ]);
    for (const r of answers)
      if (r.headers.get('content-type')?.startsWith('application/json'))
        expect([r.url, r.headers.get('cache-control')]).toEqual([r.url, 'no-store']);
  });
});
