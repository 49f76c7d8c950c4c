import jwt from 'jsonwebtoken';
import { createAuthenticator } from './auth';

const SECRET = 'test-secret';
const bearer = (payload: object, opts: jwt.SignOptions = {}) => `Bearer ${jwt.sign(payload, SECRET, { algorithm: 'HS256', ...opts })}`;

describe('createAuthenticator', () => {
  const auth = createAuthenticator(SECRET, 3600);
  it('accepts a fresh token and keeps the 64-bit user exact', () => {
    expect(auth(bearer({ sub: '1234567890123456789' }))).toEqual({ ok: true, user: 1234567890123456789n });
  });
  it('gives a token without exp at most the maximum lifetime after its iat', () => {
    const old = Math.floor(Date.now() / 1000) - 3601;
    expect(auth(bearer({ sub: '5', iat: old }))).toEqual({ ok: false, message: 'token expired' });
    expect(auth(bearer({ sub: '5', iat: old + 2 }))).toEqual({ ok: true, user: 5n });
  });
  it('also caps a token whose exp is far away', () => {
    const old = Math.floor(Date.now() / 1000) - 7200;
    expect(auth(bearer({ sub: '5', iat: old, exp: old + 365 * 86400 }))).toEqual({ ok: false, message: 'token expired' });
  });
  it('refuses a token without iat', () => {
    expect(auth(bearer({ sub: '5' }, { noTimestamp: true }))).toEqual({ ok: false, message: 'invalid token: iat (issued at) is required' });
  });
});
