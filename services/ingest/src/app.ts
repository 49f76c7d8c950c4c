import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { Counter, Histogram, type Registry } from 'prom-client';
import { validateAnyEvent, type AnyEvent } from '@fan/events';
import type { Publisher } from '@fan/producer';
import { dependencyGauge, runChecks, type HealthCheck } from '@fan/observability';
import { OPENAPI } from './openapi';

export const MAX_BATCH_EVENTS = 500;
export const MAX_BODY = '1mb';

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

const fail = (res: Response, status: number, message: string) => res.status(status).json({ code: status, message });

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
 */
export function createIngestApp(parts: IngestAppParts): express.Express {
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

  async function ingest(inputs: unknown[], res: Response, single: boolean): Promise<void> {
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
      res.status(503).json({
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
    const body = JSON.stringify(answer);
    // Straight to node's response, with the headers res.json would set: express's send path
    // (content negotiation, charset and freshness checks) was 8 % of a batch request's CPU.
    res.writeHead(single && answer.rejected > 0 ? 400 : 200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  }

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
    const end = latency.startTimer({ route: ROUTES.has(req.path) ? req.path : 'unmatched' });
    res.on('finish', () => end({ status: String(res.statusCode) }));
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

  const auth = (req: Request, res: Response, next: NextFunction) => {
    if (!tokenMatches(req.headers.authorization, token)) return fail(res, 401, 'missing or invalid service token');
    next();
  };
  const json = express.json({ limit: MAX_BODY, strict: false, type: () => true });

  app.post('/v1/events', auth, json, (req, res, next) => {
    ingest([req.body], res, true).catch(next);
  });
  app.post('/v1/events/batch', auth, json, (req, res, next) => {
    const body = req.body as { events?: unknown } | null;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.events)) {
      return fail(res, 400, 'body must be {"events":[...]}');
    }
    if (body.events.length === 0) return fail(res, 400, 'events must not be empty');
    if (body.events.length > MAX_BATCH_EVENTS)
      return fail(res, 400, `events: at most ${MAX_BATCH_EVENTS} per batch, got ${body.events.length}`);
    ingest(body.events, res, false).catch(next);
  });

  app.use((_req, res) => fail(res, 404, 'unknown route'));
  // body-parser errors carry the status to send: 400 malformed JSON, 413 too large, 415 charset.
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) parts.logger.error({ err }, 'ingest request failed');
    const message =
      err.type === 'entity.too.large'
        ? `body exceeds ${MAX_BODY}`
        : err.type === 'entity.parse.failed'
          ? `malformed JSON: ${err.message}`
          : status === 500
            ? 'internal error'
            : err.message;
    fail(res, status, message);
  });
  return app;
}
