import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { bearerToken, createAuthenticator, ENTRY_OVERHEAD } from './auth';

const SECRET = 'test-secret';
const AT = Date.parse('2026-11-25T12:00:00Z');
const NOW_S = AT / 1000;
const DAY = 86_400;

/** A token built by hand (base64url header.payload + HMAC-SHA256), as any identity service may. */
const handMade = (payload: object, header: object = { alg: 'HS256', typ: 'JWT' }, secret = SECRET) => {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const signed = `${b64(header)}.${b64(payload)}`;
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
};
const signed = (payload: object) => jwt.sign(payload, SECRET, { algorithm: 'HS256', noTimestamp: true });

describe('tokens as identity services issue them', () => {
  let clock = AT;
  const auth = createAuthenticator(SECRET, { maxAgeSeconds: DAY, now: () => clock });
  afterEach(() => (clock = AT));

  it.each([
    ['jsonwebtoken', signed],
    ['node:crypto', (p: object) => handMade(p)],
  ])('%s: exp only is honoured until exp, whatever its distance', (_how, mint) => {
    const token = `Bearer ${mint({ sub: '1234567890123456789', exp: NOW_S + 30 * DAY })}`;
    expect(auth(token)).toEqual({ ok: true, user: 1234567890123456789n, expiresAt: (NOW_S + 30 * DAY) * 1000 });
    clock = AT + 30 * DAY * 1000 - 1;
    expect(auth(token)).toMatchObject({ ok: true });
    clock = AT + 30 * DAY * 1000;
    expect(auth(token)).toEqual({ ok: false, message: 'token expired' });
  });

  it('a 7-day token issued 2 days ago is honoured for its 7 days, not JWT_MAX_AGE_SECONDS', () => {
    const iat = NOW_S - 2 * DAY;
    const token = `Bearer ${handMade({ sub: '5', iat, exp: iat + 7 * DAY })}`;
    expect(auth(token)).toEqual({ ok: true, user: 5n, expiresAt: (iat + 7 * DAY) * 1000 });
    clock = (iat + 7 * DAY) * 1000;
    expect(auth(token)).toEqual({ ok: false, message: 'token expired' });
  });

  it('iat only lives JWT_MAX_AGE_SECONDS after iat', () => {
    expect(auth(`Bearer ${handMade({ sub: '5', iat: NOW_S - DAY + 1 })}`)).toEqual({ ok: true, user: 5n, expiresAt: AT + 1000 });
    expect(auth(`Bearer ${handMade({ sub: '5', iat: NOW_S - DAY })}`)).toEqual({
      ok: false,
      message: 'token expired: issued more than 86400 s ago and has no exp',
    });
  });

  it('neither exp nor iat is refused', () => {
    expect(auth(`Bearer ${signed({ sub: '5' })}`)).toEqual({
      ok: false,
      message: 'invalid token: exp (expiry) or iat (issued at) is required',
    });
  });

  it('nbf is honoured: refused before it, accepted from it', () => {
    const token = `Bearer ${handMade({ sub: '45', exp: NOW_S + 3600, nbf: NOW_S + 10 })}`;
    expect(auth(token)).toEqual({ ok: false, message: 'token not valid yet: nbf is 2026-11-25T12:00:10.000Z' });
    clock = AT + 10_000;
    expect(auth(token)).toMatchObject({ ok: true, user: 45n });
  });

  it.each([
    [
      'alg none',
      handMade({ sub: '5', exp: NOW_S + 60 }, { alg: 'none' }).replace(/[^.]+$/, ''),
      'invalid token: not a JWT (header.payload.signature in base64url)',
    ],
    ['alg none, signed', handMade({ sub: '5', exp: NOW_S + 60 }, { alg: 'none' }), 'invalid token: alg must be HS256 (got "none")'],
    ['RS256 header', handMade({ sub: '5', exp: NOW_S + 60 }, { alg: 'RS256' }), 'invalid token: alg must be HS256 (got "RS256")'],
    ['HS512', jwt.sign({ sub: '5', exp: NOW_S + 60 }, SECRET, { algorithm: 'HS512' }), 'invalid token: alg must be HS256 (got "HS512")'],
    ['wrong secret', handMade({ sub: '5', exp: NOW_S + 60 }, undefined, 'other-secret'), 'invalid token: invalid signature'],
    ['signature with a stray character', `${handMade({ sub: '5', exp: NOW_S + 60 })}A`, 'invalid token: invalid signature'],
    ['exp as a string', handMade({ sub: '5', exp: String(NOW_S + 60) }), 'invalid token: exp must be a number of seconds'],
    ['sub as a number', handMade({ sub: 5, exp: NOW_S + 60 }), 'invalid token: sub must be a positive decimal user id'],
    ['not a JWT', 'abc', 'invalid token: not a JWT (header.payload.signature in base64url)'],
    ['padding', `${handMade({ sub: '5', exp: NOW_S + 60 })}=`, 'invalid token: not a JWT (header.payload.signature in base64url)'],
  ])('refuses %s', (_what, token, message) => {
    expect(auth(`Bearer ${token}`)).toEqual({ ok: false, message });
  });

  it('the scheme is case-insensitive; other schemes and shapes carry no bearer token', () => {
    const t = handMade({ sub: '5', exp: NOW_S + 60 });
    for (const h of [`bearer ${t}`, `BEARER ${t}`, `Bearer  ${t}`]) expect(auth(h)).toMatchObject({ ok: true, user: 5n });
    for (const h of [t, `Basic ${t}`, `Bearer`, `Bearer `, `Bearer ${t} x`, `Bearer\t${t}`, `Bearer${t}`, undefined])
      expect(bearerToken(h)).toBeUndefined();
    expect(auth(`Basic ${t}`)).toEqual({ ok: false, message: 'missing bearer token' });
  });
});

describe('verified tokens remembered', () => {
  let clock = AT;
  afterEach(() => (clock = AT));

  it('a remembered token is refused from the second its exp is reached', () => {
    const auth = createAuthenticator(SECRET, { now: () => clock });
    const token = `Bearer ${handMade({ sub: '42', iat: NOW_S, exp: NOW_S + 60 })}`;
    expect(auth(token)).toMatchObject({ ok: true });
    expect(auth.cachedTokens()).toBe(1);
    clock = AT + 59_999;
    expect(auth(token)).toMatchObject({ ok: true });
    clock = AT + 60_000;
    expect(auth(token)).toEqual({ ok: false, message: 'token expired' });
    expect(auth.cachedTokens()).toBe(0);
  });

  it('never remembers a refusal', () => {
    const auth = createAuthenticator(SECRET, { now: () => clock });
    auth(`Bearer ${handMade({ sub: '44', exp: NOW_S + 60 }, undefined, 'other')}`);
    auth(`Bearer ${handMade({ sub: '44', exp: NOW_S + 60, nbf: NOW_S + 10 })}`);
    expect([auth.cachedTokens(), auth.cachedBytes()]).toEqual([0, 0]);
  });

  it('holds its byte budget whatever arrives, keeping the newest tokens', () => {
    const budget = 64 * 1024;
    const auth = createAuthenticator(SECRET, { now: () => clock, cacheBytes: budget, cacheTokenMaxLength: 4096 });
    const filler = 'x'.repeat(2500);
    const tokens = Array.from({ length: 500 }, (_, i) => `Bearer ${handMade({ sub: String(100 + i), exp: NOW_S + 3600, filler })}`);
    const length = tokens[0]!.length - 'Bearer '.length;
    expect(length).toBeGreaterThan(3000);
    expect(length).toBeLessThanOrEqual(4096);
    let most = 0;
    for (const t of tokens) {
      expect(auth(t)).toMatchObject({ ok: true });
      most = Math.max(most, auth.cachedBytes());
    }
    const fit = Math.floor(budget / (length + ENTRY_OVERHEAD));
    expect(most).toBeLessThanOrEqual(budget);
    expect(auth.cachedTokens()).toBe(fit);
    expect(auth.cachedBytes()).toBe(fit * (length + ENTRY_OVERHEAD));
  });

  it('verifies a token longer than the cacheable length every time without keeping it', () => {
    const auth = createAuthenticator(SECRET, { now: () => clock });
    const big = `Bearer ${handMade({ sub: '7', exp: NOW_S + 3600, filler: 'x'.repeat(15_000) })}`;
    expect([auth(big), auth(big)]).toEqual(Array(2).fill({ ok: true, user: 7n, expiresAt: (NOW_S + 3600) * 1000 }));
    expect([auth.cachedTokens(), auth.cachedBytes()]).toEqual([0, 0]);
  });

  it('drops expired entries (swept at most once a minute, when a token is remembered)', () => {
    const auth = createAuthenticator(SECRET, { now: () => clock });
    for (let i = 1; i <= 100; i++) auth(`Bearer ${handMade({ sub: String(i), exp: NOW_S + 30 })}`);
    expect(auth.cachedTokens()).toBe(100);
    clock = AT + 61_000;
    auth(`Bearer ${handMade({ sub: '999', exp: NOW_S + 3600 })}`);
    expect(auth.cachedTokens()).toBe(1);
  });
});
