import pino from 'pino';
import { Registry } from 'prom-client';
import type { Publisher } from '@fan/producer';
import { expressRoutes, listen, openApiOperations } from '@fan/test-support';
import { createIngestApp } from '../src/app';
import { OPENAPI } from '../src/openapi';

describe('ingest reference (OpenAPI 3.1)', () => {
  // Listing routes and serving the document never publish.
  const app = createIngestApp({
    publisher: {} as Publisher,
    token: 't',
    ackTimeoutMs: 1000,
    logger: pino({ level: 'silent' }),
    metrics: new Registry(),
    health: {},
  });

  it('describes every route the service answers, and nothing else', () => {
    expect(openApiOperations(OPENAPI)).toEqual(expressRoutes(app.express));
    expect(expressRoutes(app.express)).toEqual([
      'GET /healthz',
      'GET /metrics',
      'GET /openapi.json',
      'POST /v1/events',
      'POST /v1/events/batch',
    ]);
  });

  it('is served at /openapi.json without a token', async () => {
    const http = await listen(app);
    try {
      const res = await fetch(`${http.base}/openapi.json`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { openapi: string }).openapi).toBe('3.1.0');
    } finally {
      await http.close();
    }
  });
});
