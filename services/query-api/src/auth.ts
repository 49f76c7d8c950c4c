import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { parsePositiveId } from '@fan/events';

export type AuthResult = { ok: true; user: bigint } | { ok: false; message: string };

/**
 * HS256 bearer token → the user id in `sub` (a positive 64-bit decimal, never a number).
 * The secret becomes a KeyObject once: given a string, jsonwebtoken first tries (and fails) to
 * parse it as a public key on every call, which was half of the query API's CPU under load.
 */
/** Longest a token is honoured after its `iat`, whatever its `exp` says (JWT_MAX_AGE_SECONDS). */
export const DEFAULT_TOKEN_MAX_AGE_SECONDS = 86_400;

/**
 * Every token has a bounded life: `iat` is required and a token older than maxAgeSeconds is
 * refused, so one without `exp` cannot live forever.
 */
export function createAuthenticator(secret: string, maxAgeSeconds = DEFAULT_TOKEN_MAX_AGE_SECONDS) {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const opts: jwt.VerifyOptions = { algorithms: ['HS256'], maxAge: maxAgeSeconds };
  return (header: string | undefined): AuthResult => verifyBearer(header, key, opts);
}

function verifyBearer(header: string | undefined, key: ReturnType<typeof createSecretKey>, opts: jwt.VerifyOptions): AuthResult {
  const m = /^Bearer ([^\s]+)$/.exec(header ?? '');
  if (!m?.[1]) return { ok: false, message: 'missing bearer token' };
  let payload: jwt.JwtPayload | string;
  try {
    payload = jwt.verify(m[1], key, opts);
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) return { ok: false, message: 'token expired' };
    if ((err as Error).message === 'iat required when maxAge is specified')
      return { ok: false, message: 'invalid token: iat (issued at) is required' };
    return { ok: false, message: `invalid token: ${(err as Error).message}` };
  }
  const user = typeof payload === 'object' ? parsePositiveId(payload.sub) : undefined;
  if (user === undefined) return { ok: false, message: 'invalid token: sub must be a positive decimal user id' };
  return { ok: true, user };
}
