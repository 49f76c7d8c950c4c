import jwt from 'jsonwebtoken';
import { parsePositiveId } from '@fan/events';

export type AuthResult = { ok: true; user: bigint } | { ok: false; message: string };

/** HS256 bearer token → the user id in `sub` (a positive 64-bit decimal, never a number). */
export function authenticate(header: string | undefined, secret: string): AuthResult {
  const m = /^Bearer ([^\s]+)$/.exec(header ?? '');
  if (!m?.[1]) return { ok: false, message: 'missing bearer token' };
  let payload: jwt.JwtPayload | string;
  try {
    payload = jwt.verify(m[1], secret, { algorithms: ['HS256'] });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) return { ok: false, message: 'token expired' };
    return { ok: false, message: `invalid token: ${(err as Error).message}` };
  }
  const user = typeof payload === 'object' ? parsePositiveId(payload.sub) : undefined;
  if (user === undefined) return { ok: false, message: 'invalid token: sub must be a positive decimal user id' };
  return { ok: true, user };
}
