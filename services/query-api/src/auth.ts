import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { parsePositiveId } from '@fan/events';

export type AuthResult = { ok: true; user: bigint } | { ok: false; message: string };

/** Longest a token is honoured after its `iat`, whatever its `exp` says (JWT_MAX_AGE_SECONDS). */
export const DEFAULT_TOKEN_MAX_AGE_SECONDS = 86_400;

/** Tokens remembered as verified; past this, the oldest is forgotten (and verified again if it returns). */
const VERIFIED_TOKENS_MAX = 10_000;

const MISSING: AuthResult = { ok: false, message: 'missing bearer token' };

/**
 * HS256 bearer token → the user id in `sub` (a positive 64-bit decimal, never a number).
 *
 * Every token has a bounded life: `iat` is required and a token older than maxAgeSeconds is
 * refused, so one without `exp` cannot live forever.
 *
 * The secret becomes a KeyObject once: given a string, jsonwebtoken first tries (and fails) to
 * parse it as a public key on every call, which was half of the query API's CPU under load.
 * A token that passed is remembered until the first second it would be refused (its `exp` or
 * `iat` + maxAgeSeconds): the same token string with the same secret always verifies the same
 * way, and a dashboard sends one token with every read, so the signature and claims are checked
 * once per token instead of once per request. Refusals are not remembered (their reasons come
 * from the full check). `now` (epoch ms) is the clock of both, replaceable in tests.
 */
export function createAuthenticator(secret: string, maxAgeSeconds = DEFAULT_TOKEN_MAX_AGE_SECONDS, now: () => number = Date.now) {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const verified = new Map<string, { result: AuthResult; until: number }>();
  return (header: string | undefined): AuthResult => {
    const m = /^Bearer ([^\s]+)$/.exec(header ?? '');
    const token = m?.[1];
    if (!token) return MISSING;
    // jsonwebtoken compares whole seconds: refused from the second `clockTimestamp >= exp`.
    const second = Math.floor(now() / 1000);
    const known = verified.get(token);
    if (known) {
      if (second < known.until) return known.result;
      verified.delete(token);
    }
    const checked = verifyToken(token, key, { algorithms: ['HS256'], maxAge: maxAgeSeconds, clockTimestamp: second });
    if (checked.ok) {
      if (verified.size >= VERIFIED_TOKENS_MAX) verified.delete(verified.keys().next().value!);
      verified.set(token, { result: checked.result, until: Math.min(checked.exp ?? Infinity, checked.iat + maxAgeSeconds) });
      return checked.result;
    }
    return checked.result;
  };
}

type Checked = { ok: true; result: AuthResult; iat: number; exp?: number } | { ok: false; result: AuthResult };

function verifyToken(token: string, key: KeyObject, opts: jwt.VerifyOptions): Checked {
  const refuse = (message: string): Checked => ({ ok: false, result: { ok: false, message } });
  let payload: jwt.JwtPayload | string;
  try {
    payload = jwt.verify(token, key, opts);
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) return refuse('token expired');
    if ((err as Error).message === 'iat required when maxAge is specified') return refuse('invalid token: iat (issued at) is required');
    return refuse(`invalid token: ${(err as Error).message}`);
  }
  const user = typeof payload === 'object' ? parsePositiveId(payload.sub) : undefined;
  if (user === undefined || typeof payload !== 'object') return refuse('invalid token: sub must be a positive decimal user id');
  // maxAge makes jsonwebtoken require a numeric iat, and it refuses a non-numeric exp.
  return { ok: true, result: { ok: true, user }, iat: payload.iat!, ...(payload.exp !== undefined ? { exp: payload.exp } : {}) };
}
