import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { fail } from '../http';
import { OPENAPI } from '../openapi';

// The page loads only its own scripts and styles; thumbs may come from any https CDN.
const PAGE_CSP =
  "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'";

/** The dashboard page (services/dashboard-web/dist) at /, its hashed assets, and the API's OpenAPI document. */
export function mountPage(app: express.Express, pageDir: string | undefined): void {
  app.get('/openapi.json', (_req, res) => void res.json(OPENAPI));
  const index = pageDir ? join(pageDir, 'index.html') : undefined;
  app.get('/', (_req, res) => {
    if (!index || !existsSync(index)) return void fail(res, 503, 'the dashboard page is not built: run `npm run build`');
    res.set({ 'content-security-policy': PAGE_CSP, 'cache-control': 'no-cache', 'referrer-policy': 'no-referrer' }).sendFile(index);
  });
  // Vite names every asset by its content hash: cached for good.
  if (pageDir)
    app.use('/assets', express.static(join(pageDir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: true }));
}
