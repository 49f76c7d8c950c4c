import type { Pool } from 'pg';
import { expressRoutes, freshMetrics, listen, openApiOperations, silentLogger } from '@fan/test-support';
import { createQueryApp } from '../src/app';
import type { AnswerCache } from '../src/cache';
import { OPENAPI } from '../src/openapi';

describe('query API reference (OpenAPI 3.1)', () => {
  // Listing routes and serving the document touch neither Postgres nor Redis.
  const app = createQueryApp({
    db: {} as Pool,
    cache: {} as AnswerCache,
    jwtSecret: 's',
    tz: 'Asia/Shanghai',
    clock: Date.now,
    logger: silentLogger(),
    metrics: freshMetrics(),
    health: {},
  });

  it('describes every route the service answers, and nothing else', () => {
    expect(openApiOperations(OPENAPI)).toEqual(expressRoutes(app));
    expect(expressRoutes(app)).toHaveLength(16);
  });

  it('is served at /openapi.json', async () => {
    const http = await listen(app);
    try {
      const res = await fetch(`${http.base}/openapi.json`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as typeof OPENAPI;
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toContain('/api/v1/dashboard/today-overview');
    } finally {
      await http.close();
    }
  });
});
