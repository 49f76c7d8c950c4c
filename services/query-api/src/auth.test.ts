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

describe('verified tokens remembered', () => {
  const at = Date.parse('2026-11-25T12:00:00Z');
  const iat = at / 1000;
  let clock = at;
  const auth = createAuthenticator(SECRET, 3600, () => clock);
  afterEach(() => {
    clock = at;
    jest.restoreAllMocks();
  });

  it('checks a token once, then answers it from memory', () => {
    const verify = jest.spyOn(jwt, 'verify');
    const token = bearer({ sub: '42', iat });
    expect([auth(token), auth(token), auth(token)]).toEqual(Array(3).fill({ ok: true, user: 42n }));
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('refuses a remembered token from the second its exp is reached', () => {
    const token = bearer({ sub: '42', iat, exp: iat + 60 });
    expect(auth(token)).toEqual({ ok: true, user: 42n });
    clock = at + 59_999;
    expect(auth(token)).toEqual({ ok: true, user: 42n });
    clock = at + 60_000;
    expect(auth(token)).toEqual({ ok: false, message: 'token expired' });
  });

  it('refuses a remembered token from the second its maximum age is reached', () => {
    const token = bearer({ sub: '43', iat });
    expect(auth(token)).toEqual({ ok: true, user: 43n });
    clock = at + 3_599_999;
    expect(auth(token)).toEqual({ ok: true, user: 43n });
    clock = at + 3_600_000;
    expect(auth(token)).toEqual({ ok: false, message: 'token expired' });
  });

  it('does not remember refusals, nor accept a token signed with another secret', () => {
    const forged = `Bearer ${jwt.sign({ sub: '44', iat }, 'other-secret', { algorithm: 'HS256' })}`;
    expect(auth(forged)).toEqual({ ok: false, message: 'invalid token: invalid signature' });
    expect(auth(forged)).toEqual({ ok: false, message: 'invalid token: invalid signature' });
    const early = bearer({ sub: '45', iat, nbf: iat + 10 });
    expect(auth(early)).toEqual({ ok: false, message: 'invalid token: jwt not active' });
    clock = at + 10_000;
    expect(auth(early)).toEqual({ ok: true, user: 45n });
  });
});
