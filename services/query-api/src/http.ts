import type { Request, Response } from 'express';
import type { Counter } from 'prom-client';
import { parsePositiveId } from '@fan/events';
import type { Authenticator } from './auth';

// Answers are per user, or errors of a moment: never stored by a browser or proxy.
export const fail = (res: Response, status: number, message: string) =>
  res.status(status).set('cache-control', 'no-store').json({ code: status, message });

export const STORAGE_UNAVAILABLE = 'dashboard storage is unavailable, try again shortly';

/**
 * A 200 with a JSON body already serialised (a cached answer), written straight to node's
 * response: the same headers as express's res.send (no ETag: etag is off), without its content
 * negotiation and header parsing on the hottest path. Node drops the body of a HEAD request.
 */
export function sendJson(res: Response, body: string): void {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** What every route is given: the one token check and the one cache counter. */
export interface RouteContext {
  authenticate: Authenticator;
  cacheResults: Counter<'read' | 'result'>;
}

/** The token's user, or undefined once the 401 (with why) is sent: the one place a token is checked. */
export function signedIn(ctx: RouteContext, req: Request, res: Response): { user: bigint; expiresAt: number } | undefined {
  const auth = ctx.authenticate(req.headers.authorization);
  if (auth.ok) return auth;
  fail(res, 401, auth.message);
  return undefined;
}

/** `star_id` as a positive 64-bit id, or undefined once the 400 (with why) is sent: the one place it is read. */
export function starOf(req: Request, res: Response): bigint | undefined {
  const raw = req.query.star_id;
  if (raw === undefined) return void fail(res, 400, 'star_id is required');
  const star = parsePositiveId(raw);
  if (star === undefined) return void fail(res, 400, 'star_id must be a positive 64-bit decimal integer');
  return star;
}

/** Counts a cache lookup's result for a read. */
export const countLookup = (ctx: RouteContext, read: string, lookup: { hit?: string; store?: unknown }) =>
  ctx.cacheResults.inc({ read, result: lookup.hit !== undefined ? 'hit' : lookup.store ? 'miss' : 'error' });
