import { timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { Counter, Histogram, type Registry } from 'prom-client';
import { validateAnyEvent, type AnyEvent } from '@fan/events';
import type { Publisher } from '@fan/producer';
import { dependencyGauge, runChecks, type HealthCheck } from '@fan/observability';
import { OPENAPI } from './openapi';
import { BodyError, readJsonBody, type BodyLimits } from './read-json-body';

export const MAX_BATCH_EVENTS = 500;
const BODY_LIMITS: BodyLimits = { maxBytes: 1024 * 1024, maxLabel: '1mb' };

export interface IngestAppParts {
  publisher: Publisher;
  token: string;
  ackTimeoutMs: number;
  logger: Logger;
  metrics: Registry;
  health: Record<string, HealthCheck>;
  clock?: () => number;
}

interface IngestAnswer {
  accepted: number;
  rejected: number;
  errors: Array<{ index: number; reason: string }>;
}

/** Answers with JSON straight on node's response: express's send path (content negotiation,
 * charset and freshness checks) was 8 % of a batch request's CPU. */
function sendJson(res: ServerResponse, status: number, answer: unknown): void {
  const body = JSON.stringify(answer);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const fail = (res: ServerResponse, status: number, message: string) => sendJson(res, status, { code: status, message });

/** After the answer is sent, what the client still sends is read and dropped, this much at most. */
const LINGER = { ms: 2_000, bytes: 4 * 1024 * 1024 };

/**
 * Answers and closes the connection: the request's body was not read, so nothing after it can be.
 * A socket closed with the client's bytes unread makes the kernel send a reset, and a reset makes
 * the client's kernel drop our answer before the client reads it (it sees ECONNRESET instead of
 * 413). So, as web servers do (nginx's lingering close), the write side is closed first and the
 * rest is read and discarded until the client stops, for LINGER at most.
 */
function failAndClose(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  res.shouldKeepAlive = false;
  res.setHeader('connection', 'close');
  const socket = req.socket as Socket & { destroySoon?: () => void };
  socket.destroySoon = () => {
    let bytes = 0;
    const close = () => socket.destroy();
    const timer = setTimeout(close, LINGER.ms);
    socket.on('close', () => clearTimeout(timer));
    socket.on('data', (c: Buffer) => (bytes += c.length) > LINGER.bytes && close());
    socket.on('end', close);
    socket.end();
    socket.resume();
  };
  fail(res, status, message);
}

type PostRoute = '/v1/events' | '/v1/events/batch';
const POST_ROUTES = new Map<string | undefined, PostRoute>([
  ['/v1/events', '/v1/events'],
  ['/v1/events/batch', '/v1/events/batch'],
]);

/** The ingest over HTTP: `listener` serves every route, `express` holds the route table. */
export interface IngestApp {
  listener: RequestListener;
  listen: (port: number, onListening?: () => void) => Server;
  express: express.Express;
}

function tokenMatches(header: string | undefined, token: Buffer): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  if (!m?.[1]) return false;
  const given = Buffer.from(m[1]);
  return given.length === token.length && timingSafeEqual(given, token);
}

/**
 * HTTP ingest (CONTRACT §2): validates every event, publishes the valid ones, and answers only
 * after Kafka acknowledged them. A request whose events Kafka did not take gets 503 and
 * accepted = 0, so a client retry can never lose an event (duplicates are absorbed downstream).
 *
 * The two POST routes, spelled exactly, are answered before express sees the request: express's
 * per-request work (router, body-parser, their listeners) cost a fifth of the ingest's CPU per
 * event at 100 events per request (docs/BENCHMARKS.md). Every other request, and any other
 * spelling of those routes express would match (a query string, a trailing slash, capitals), goes
 * through express to the same handler.
 */
export function createIngestApp(parts: IngestAppParts): IngestApp {
  const clock = parts.clock ?? Date.now;
  const token = Buffer.from(parts.token);
  const events = new Counter({
    name: 'ingest_events_total',
    help: 'Events received over HTTP',
    labelNames: ['result'] as const,
    registers: [parts.metrics],
  });
  const latency = new Histogram({
    name: 'ingest_request_seconds',
    help: 'Ingest request duration',
    labelNames: ['route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
    registers: [parts.metrics],
  });

  async function ingest(inputs: unknown[], res: ServerResponse, single: boolean): Promise<void> {
    const now = clock();
    const answer: IngestAnswer = { accepted: 0, rejected: 0, errors: [] };
    const valid: AnyEvent[] = [];
    inputs.forEach((input, index) => {
      const v = validateAnyEvent(input, { now });
      if (v.ok) valid.push(v.event);
      else answer.errors.push({ index, reason: v.reason });
    });
    answer.rejected = answer.errors.length;
    events.inc({ result: 'rejected' }, answer.rejected);
    try {
      await parts.publisher.publish(valid, { timeoutMs: parts.ackTimeoutMs });
    } catch (err) {
      parts.logger.error({ err, events: valid.length }, 'publish failed');
      sendJson(res, 503, {
        code: 503,
        message: `events not accepted: ${(err as Error).message}`,
        accepted: 0,
        rejected: answer.rejected,
        errors: answer.errors,
      });
      return;
    }
    answer.accepted = valid.length;
    events.inc({ result: 'accepted' }, answer.accepted);
    sendJson(res, single && answer.rejected > 0 ? 400 : 200, answer);
  }

  async function post(req: IncomingMessage, res: ServerResponse, route: PostRoute): Promise<void> {
    if (!tokenMatches(req.headers.authorization, token)) {
      // A body declared (or sent chunked) past the limit is not read just to be thrown away.
      const declared = req.headers['content-length'];
      if (req.headers['transfer-encoding'] !== undefined || (declared !== undefined && Number(declared) > BODY_LIMITS.maxBytes))
        return failAndClose(req, res, 401, 'missing or invalid service token');
      req.resume();
      return fail(res, 401, 'missing or invalid service token');
    }
    let body: unknown;
    try {
      body = await readJsonBody(req, req.headers, BODY_LIMITS);
    } catch (err) {
      if (err instanceof BodyError) return err.close ? failAndClose(req, res, err.status, err.message) : fail(res, err.status, err.message);
      throw err;
    }
    if (route === '/v1/events') return ingest([body], res, true);
    const events = (body as { events?: unknown } | null)?.events;
    if (typeof body !== 'object' || body === null || !Array.isArray(events)) return fail(res, 400, 'body must be {"events":[...]}');
    if (events.length === 0) return fail(res, 400, 'events must not be empty');
    if (events.length > MAX_BATCH_EVENTS) return fail(res, 400, `events: at most ${MAX_BATCH_EVENTS} per batch, got ${events.length}`);
    return ingest(events, res, false);
  }

  const timed = (route: string, res: ServerResponse) => {
    const end = latency.startTimer({ route });
    res.on('finish', () => end({ status: String(res.statusCode) }));
  };
  const internalError = (res: ServerResponse, err: unknown) => {
    parts.logger.error({ err }, 'ingest request failed');
    if (!res.headersSent) fail(res, 500, 'internal error');
  };

  dependencyGauge(parts.health, parts.metrics);
  const app = express();
  app.disable('x-powered-by');
  // Nothing here reads a query string or is worth revalidating: express would parse the one and
  // hash every answer for the other.
  app.disable('etag');
  app.set('query parser', false);
  // Labelled by route, never by the raw path: a client's made-up paths would each create a series.
  const ROUTES = new Set(['/healthz', '/metrics', '/openapi.json', '/v1/events', '/v1/events/batch']);
  app.use((req, res, next) => {
    timed(ROUTES.has(req.path) ? req.path : 'unmatched', res);
    next();
  });

  app.get('/healthz', async (_req, res) => {
    const r = await runChecks(parts.health);
    res.status(r.status === 'ok' ? 200 : 503).json(r);
  });
  app.get('/openapi.json', (_req, res) => void res.json(OPENAPI));
  app.get('/metrics', async (_req, res) => {
    res.type(parts.metrics.contentType).send(await parts.metrics.metrics());
  });

  app.post('/v1/events', (req, res, next) => void post(req, res, '/v1/events').catch(next));
  app.post('/v1/events/batch', (req, res, next) => void post(req, res, '/v1/events/batch').catch(next));

  app.use((_req, res) => fail(res, 404, 'unknown route'));
  // Express's own refusals carry a 4xx status; anything else is the ingest's failure (a client's
  // mistakes in a body are answered where they are found).
  app.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    if (err.status && err.status >= 400 && err.status < 500) return fail(res, err.status, err.message);
    internalError(res, err);
  });

  const listener: RequestListener = (req, res) => {
    // No answer here is a page to sniff or a response to keep: a proxy must not serve one client's
    // refusal (or its metrics) to another.
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', 'no-store');
    const route = req.method === 'POST' ? POST_ROUTES.get(req.url) : undefined;
    if (route === undefined) return void app(req, res);
    timed(route, res);
    post(req, res, route).catch((err: unknown) => internalError(res, err));
  };
  return { listener, express: app, listen: (port, onListening) => createServer(listener).listen(port, onListening) };
}
