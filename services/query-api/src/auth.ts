import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { parsePositiveId } from '@fan/events';

export type AuthResult = { ok: true; user: bigint } | { ok: false; message: string };

/**
 * HS256 bearer token → the user id in `sub` (a positive 64-bit decimal, never a number).
 * The secret becomes a KeyObject once: given a string, jsonwebtoken first tries (and fails) to
 * parse it as a public key on every call, which was half of the query API's CPU under load.
 */
export function createAuthenticator(secret: string) {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return (header: string | undefined): AuthResult => verifyBearer(header, key);
}

function verifyBearer(header: string | undefined, key: ReturnType<typeof createSecretKey>): AuthResult {
  const m = /^Bearer ([^\s]+)$/.exec(header ?? '');
  if (!m?.[1]) return { ok: false, message: 'missing bearer token' };
  let payload: jwt.JwtPayload | string;
  try {
    payload = jwt.verify(m[1], key, { algorithms: ['HS256'] });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) return { ok: false, message: 'token expired' };
    return { ok: false, message: `invalid token: ${(err as Error).message}` };
  }
  const user = typeof payload === 'object' ? parsePositiveId(payload.sub) : undefined;
  if (user === undefined) return { ok: false, message: 'invalid token: sub must be a positive decimal user id' };
  return { ok: true, user };
}
