import { createHmac, timingSafeEqual } from 'node:crypto';
import { parsePositiveId } from '@fan/events';

/** The token's user and the instant (epoch ms) from which it is refused: its exp, else iat + maxAge. */
export type AuthResult = { ok: true; user: bigint; expiresAt: number } | { ok: false; message: string };

/** How long a token without `exp` is honoured after its `iat` (JWT_MAX_AGE_SECONDS). */
export const DEFAULT_TOKEN_MAX_AGE_SECONDS = 86_400;

export interface AuthOptions {
  /** A token without `exp` is honoured this long after its `iat` (JWT_MAX_AGE_SECONDS). */
  maxAgeSeconds?: number;
  /** Sum of the lengths of the verified tokens remembered, plus ENTRY_OVERHEAD each (QUERY_TOKEN_CACHE_BYTES). */
  cacheBytes?: number;
  /** Longer tokens are verified on every request, never remembered. */
  cacheTokenMaxLength?: number;
  /** Epoch ms; the real clock (CLOCK_NOW pins the dashboard's "now", not the tokens' lifetimes). */
  now?: () => number;
}

export const DEFAULT_TOKEN_CACHE_BYTES = 8 * 1024 * 1024;
export const DEFAULT_CACHE_TOKEN_MAX_LENGTH = 4096;
/** What a remembered token costs besides its characters: the Map entry, the result, the bigint. */
export const ENTRY_OVERHEAD = 128;

const MISSING: AuthResult = { ok: false, message: 'missing bearer token' };
const MALFORMED: AuthResult = { ok: false, message: 'invalid token: not a JWT (header.payload.signature in base64url)' };
const BAD_SIGNATURE: AuthResult = { ok: false, message: 'invalid token: invalid signature' };
const EXPIRED: AuthResult = { ok: false, message: 'token expired' };
const refuse = (message: string): AuthResult => ({ ok: false, message });

/** Only the base64url alphabet, unpadded (RFC 7515 §2), and not empty. */
const isBase64Url = (s: string, from: number, to: number): boolean => {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    // A-Z a-z 0-9 - _
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95)) return false;
  }
  return true;
};

/**
 * `Authorization: Bearer <token>` → the token. The scheme is case-insensitive and may be followed by
 * more than one space (RFC 9110 §11.4: `auth-scheme [ 1*SP token68 ]`); node has already trimmed
 * the value's ends. Anything else (another scheme, a second word, no token) is no bearer token.
 */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header.length < 8) return undefined;
  if (header.slice(0, 6).toLowerCase() !== 'bearer') return undefined;
  let i = 6;
  while (i < header.length && header.charCodeAt(i) === 32) i++;
  if (i === 6 || i === header.length) return undefined;
  const token = header.slice(i);
  return /\s/.test(token) ? undefined : token;
}

/**
 * HS256 bearer token → the user id in `sub` (a positive 64-bit decimal, never a number), honoured
 * as identity services issue tokens (CONTRACT §3): `exp`, when present, is the expiry whatever
 * the lifetime; without `exp` the token lives maxAgeSeconds after its `iat`; with neither it is
 * refused; before its `nbf` it is refused. Only HS256: `none`, RS256 (key confusion) and every
 * other `alg` are refused before the signature is looked at.
 *
 * A token that passed is remembered until the second it would be refused (a dashboard sends one
 * token with every read, so it is checked once, not once per request). The memory is bounded by
 * bytes, not entries (10,000 tokens of 15 KB each were 150 MB of strings): at most cacheBytes of
 * token characters plus ENTRY_OVERHEAD each, tokens longer than cacheTokenMaxLength are verified
 * every time, never kept, and expired entries are swept once a minute. Past the budget the oldest
 * entry goes (it is only verified again if it returns). Refusals are never remembered.
 */
export function createAuthenticator(secret: string, o: AuthOptions = {}) {
  const maxAge = o.maxAgeSeconds ?? DEFAULT_TOKEN_MAX_AGE_SECONDS;
  const budget = o.cacheBytes ?? DEFAULT_TOKEN_CACHE_BYTES;
  const cacheMax = o.cacheTokenMaxLength ?? DEFAULT_CACHE_TOKEN_MAX_LENGTH;
  const now = o.now ?? Date.now;
  const key = Buffer.from(secret, 'utf8');
  const verified = new Map<string, { result: AuthResult; until: number }>();
  let bytes = 0;
  let nextSweep = 0;

  const forget = (token: string): void => {
    if (verified.delete(token)) bytes -= token.length + ENTRY_OVERHEAD;
  };
  const remember = (token: string, result: AuthResult, until: number, second: number): void => {
    if (token.length > cacheMax) return;
    if (second >= nextSweep) {
      for (const [t, e] of verified) if (second >= e.until) forget(t);
      nextSweep = second + 60;
    }
    const cost = token.length + ENTRY_OVERHEAD;
    while (bytes + cost > budget && verified.size > 0) forget(verified.keys().next().value!);
    if (cost > budget) return;
    verified.set(token, { result, until });
    bytes += cost;
  };

  const authenticate = (header: string | undefined): AuthResult => {
    const token = bearerToken(header);
    if (token === undefined) return MISSING;
    // Whole seconds, as JWT NumericDates: refused from the second `now >= exp`.
    const second = Math.floor(now() / 1000);
    const known = verified.get(token);
    if (known) {
      if (second < known.until) return known.result;
      forget(token);
    }
    const checked = verifyHs256(token, key, maxAge, second);
    if (checked.ok) remember(token, checked, checked.expiresAt / 1000, second);
    return checked;
  };
  return Object.assign(authenticate, {
    /** What the remembered tokens cost (token characters + ENTRY_OVERHEAD each); for tests and metrics. */
    cachedBytes: () => bytes,
    cachedTokens: () => verified.size,
  });
}
export type Authenticator = ReturnType<typeof createAuthenticator>;

/** A JWT NumericDate: seconds since the epoch, possibly fractional (RFC 7519 §2). */
const numericDate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function verifyHs256(token: string, key: Buffer, maxAge: number, second: number): AuthResult {
  const a = token.indexOf('.');
  const b = a < 0 ? -1 : token.indexOf('.', a + 1);
  if (b < 0 || token.indexOf('.', b + 1) >= 0) return MALFORMED;
  if (!isBase64Url(token, 0, a) || !isBase64Url(token, a + 1, b) || !isBase64Url(token, b + 1, token.length)) return MALFORMED;
  const header = parseJson(Buffer.from(token.slice(0, a), 'base64url').toString('utf8'));
  if (header === undefined) return MALFORMED;
  if (header.alg !== 'HS256') return refuse(`invalid token: alg must be HS256 (got ${JSON.stringify(header.alg ?? null)})`);
  // Compared as base64url text, not decoded bytes: Buffer's decoder ignores stray characters, so
  // several strings would otherwise pass as one signature.
  const expected = createHmac('sha256', key).update(token.slice(0, b)).digest('base64url');
  const given = token.slice(b + 1);
  if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) return BAD_SIGNATURE;

  const claims = parseJson(Buffer.from(token.slice(a + 1, b), 'base64url').toString('utf8'));
  if (claims === undefined) return MALFORMED;
  const { exp, iat, nbf } = claims;
  if (exp !== undefined && !numericDate(exp)) return refuse('invalid token: exp must be a number of seconds');
  if (iat !== undefined && !numericDate(iat)) return refuse('invalid token: iat must be a number of seconds');
  if (nbf !== undefined && !numericDate(nbf)) return refuse('invalid token: nbf must be a number of seconds');
  if (exp === undefined && iat === undefined) return refuse('invalid token: exp (expiry) or iat (issued at) is required');
  if (nbf !== undefined && second < nbf) return refuse(`token not valid yet: nbf is ${new Date(nbf * 1000).toISOString()}`);
  const until = exp ?? (iat as number) + maxAge;
  if (second >= until) return exp !== undefined ? EXPIRED : refuse(`token expired: issued more than ${maxAge} s ago and has no exp`);
  const user = parsePositiveId(claims.sub);
  if (user === undefined) return refuse('invalid token: sub must be a positive decimal user id');
  return { ok: true, user, expiresAt: until * 1000 };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
