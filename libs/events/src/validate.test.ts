import { validateEvent } from './validate';

const NOW = Date.parse('2026-11-22T10:00:00Z');
const like = () => ({
  event_id: 'e-1',
  event_type: 'asset.like',
  user_id: '1234567890123456789',
  star_id: '7',
  occurred_at: '2026-11-22T10:00:00.000+08:00',
  properties: { asset_id: '9007199254740993', liker_user_id: '42', amount: 5 },
});

function reasonFor(mutate: (e: Record<string, any>) => void): string {
  const e: Record<string, any> = like();
  mutate(e);
  const v = validateEvent(e, { now: NOW });
  if (v.ok) throw new Error('expected a rejection');
  return v.reason;
}

describe('validateEvent', () => {
  it('accepts the contract example and keeps ids exact as bigint', () => {
    const v = validateEvent(like(), { now: NOW });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.event.user_id).toBe(1234567890123456789n);
    expect(v.event.occurred_at).toBe(BigInt(Date.parse('2026-11-22T02:00:00Z')));
    expect(v.event.properties).toEqual({ asset_id: 9007199254740993n, liker_user_id: 42n, amount: 5n });
  });

  it('accepts epoch milliseconds, safe integer ids and the int64 extremes', () => {
    const v = validateEvent({ ...like(), user_id: 42, star_id: '9223372036854775807', occurred_at: NOW }, { now: NOW });
    expect(v.ok && [v.event.user_id, v.event.star_id, v.event.occurred_at]).toEqual([42n, 9223372036854775807n, BigInt(NOW)]);
    expect(validateEvent({ ...like(), user_id: '-9223372036854775808' }, { now: NOW }).ok).toBe(true);
  });

  it.each([
    ['unknown type', (e: any) => (e.event_type = 'asset.hug'), /^event_type must be one of/],
    ['missing event_id', (e: any) => delete e.event_id, /^event_id must be a string of 1-64/],
    ['empty event_id', (e: any) => (e.event_id = ''), /^event_id/],
    ['65-char event_id', (e: any) => (e.event_id = 'x'.repeat(65)), /^event_id/],
    ['missing user_id', (e: any) => delete e.user_id, /^user_id is required/],
    ['non-numeric star_id', (e: any) => (e.star_id = '12a'), /^star_id must be a decimal 64-bit integer/],
    ['star_id above int64', (e: any) => (e.star_id = '9223372036854775808'), /^star_id is outside the signed 64-bit range/],
    // eslint-disable-next-line no-loss-of-precision -- the point: JSON.parse rounds such a number
    ['unsafe JSON number id', (e: any) => (e.user_id = 9007199254740993), /^user_id must be a decimal string/],
    ['fractional id', (e: any) => (e.user_id = 1.5), /^user_id must be a decimal string/],
    ['missing occurred_at', (e: any) => delete e.occurred_at, /^occurred_at is required/],
    ['ISO without offset', (e: any) => (e.occurred_at = '2026-11-22T10:00:00'), /^occurred_at must be epoch milliseconds or ISO-8601/],
    ['25 h in the future', (e: any) => (e.occurred_at = NOW + 25 * 3600_000), /^occurred_at is more than 24 hours in the future/],
    ['properties not an object', (e: any) => (e.properties = [1]), /^properties must be a JSON object/],
    ['missing payload field', (e: any) => delete e.properties.liker_user_id, /^properties.liker_user_id is required/],
    ['wrong payload type', (e: any) => (e.properties.amount = '5'), /^properties.amount must be an integer number/],
    ['negative amount', (e: any) => (e.properties.amount = -1), /^properties.amount must be >= 0/],
    ['fractional amount', (e: any) => (e.properties.amount = 1.5), /^properties.amount must be an integer/],
    ['unknown payload field', (e: any) => (e.properties.extra = 1), /^properties.extra is not a field of asset.like/],
    [
      'properties over 1 KiB',
      (e: any) => {
        e.event_type = 'crystal.change';
        e.properties = { amount: 1, balance_after: 1, reason: 'x'.repeat(1100) };
      },
      /^properties exceed 1024 bytes/,
    ],
  ])('rejects %s with a reason naming the field', (_name, mutate, reason) => {
    expect(reasonFor(mutate)).toMatch(reason);
  });

  it('checks levels and that a level-up goes up', () => {
    const up = (from: string, to: string) =>
      validateEvent({ ...like(), event_type: 'asset.level_up', properties: { asset_id: '1', from_level: from, to_level: to } });
    expect(up('N', 'R').ok).toBe(true);
    expect(up('N', 'X')).toEqual({ ok: false, reason: 'properties.to_level must be one of N, R, SR, SSR, UR' });
    expect(up('SR', 'R')).toEqual({ ok: false, reason: 'properties.to_level must be above properties.from_level' });
  });

  it('allows a negative crystal.change amount (a spend) but not a negative revenue', () => {
    const spend = { ...like(), event_type: 'crystal.change', properties: { amount: -30, balance_after: 70, reason: 'gift' } };
    expect(validateEvent(spend).ok).toBe(true);
    const revenue = { ...like(), event_type: 'exhibition.revenue', properties: { asset_id: '1', amount: -1, duration_ms: 0 } };
    expect(validateEvent(revenue)).toEqual({ ok: false, reason: 'properties.amount must be >= 0' });
  });

  it('skips the future rule when no clock is given (consumers)', () => {
    expect(validateEvent({ ...like(), occurred_at: NOW + 48 * 3600_000 }).ok).toBe(true);
  });

  it.each([null, 'x', 5, []])('rejects a non-object %p', (input) => {
    expect(validateEvent(input)).toEqual({ ok: false, reason: 'event must be a JSON object' });
  });

  it('measures the 1 KiB limit in UTF-8 bytes of the JSON form, exactly at the boundary', () => {
    // {"amount":1,"balance_after":1,"reason":"…"} is 42 bytes around the reason.
    const crystal = (reason: string) =>
      validateEvent({ ...like(), event_type: 'crystal.change', properties: { amount: 1, balance_after: 1, reason } });
    expect(crystal('x'.repeat(982)).ok).toBe(true); // 1024 bytes
    expect(crystal('x'.repeat(983))).toEqual({ ok: false, reason: 'properties exceed 1024 bytes' });
    expect(crystal('€'.repeat(327)).ok).toBe(true); // 3 bytes each: 1023
    expect(crystal('€'.repeat(328)).ok).toBe(false); // 1026
    expect(crystal('"'.repeat(491)).ok).toBe(true); // escaped as \" : 1024
    expect(crystal('"'.repeat(492)).ok).toBe(false);
    // Small enough for the quick bound, with bigints that JSON writes as strings.
    expect(validateEvent({ ...like(), properties: { asset_id: 9223372036854775807n, liker_user_id: 1n, amount: 5n } }).ok).toBe(true);
  });

  describe('what Postgres and the aggregates cannot hold, refused with the field named', () => {
    const mint = () => ({
      ...like(),
      event_type: 'asset.mint',
      properties: { asset_id: '5', level: 'N', asset_name: 'Moon', asset_thumb: 'https://t/1.png' },
    });
    const crystal = (amount: unknown, balance: unknown) => ({
      ...like(),
      event_type: 'crystal.change',
      properties: { amount, balance_after: balance, reason: 'like' },
    });
    const reason = (e: unknown) => {
      const v = validateEvent(e, { now: NOW });
      return v.ok ? 'accepted' : v.reason;
    };
    it('NUL characters in any string', () => {
      expect(reason({ ...mint(), properties: { ...mint().properties, asset_name: 'a\u0000b' } })).toBe(
        'properties.asset_name must not contain NUL (U+0000)',
      );
      expect(reason({ ...mint(), properties: { ...mint().properties, asset_thumb: '\u0000' } })).toBe(
        'properties.asset_thumb must not contain NUL (U+0000)',
      );
      expect(reason({ ...like(), event_id: 'x\u0000' })).toBe('event_id must not contain NUL (U+0000)');
      expect(reason({ ...mint(), properties: { ...mint().properties, asset_name: 'a\u0001b\u00e9\ud83d\ude00' } })).toBe('accepted');
    });
    it('strings that are not well-formed Unicode (Avro would write each lone surrogate as U+FFFD)', () => {
      expect(reason({ ...like(), event_id: 'p-\ud800' })).toBe('event_id must be well-formed Unicode (lone surrogate at index 2)');
      expect(reason({ ...like(), event_id: 'p-\udbff' })).toBe('event_id must be well-formed Unicode (lone surrogate at index 2)');
      expect(reason({ ...like(), event_id: 'p-\ud83d\ude00' })).toBe('accepted');
      expect(reason({ ...mint(), properties: { ...mint().properties, asset_name: 'Moon\udc00' } })).toBe(
        'properties.asset_name must be well-formed Unicode (lone surrogate at index 4)',
      );
      expect(reason({ ...mint(), properties: { ...mint().properties, asset_thumb: '\ud800\ud83d\ude00' } })).toBe(
        'properties.asset_thumb must be well-formed Unicode (lone surrogate at index 0)',
      );
      expect(reason({ ...crystal(1, 1), properties: { amount: 1, balance_after: 1, reason: 'gift\ud83d' } })).toBe(
        'properties.reason must be well-formed Unicode (lone surrogate at index 4)',
      );
    });
    it('star_id 0 or negative (the dashboard reads take positive star ids only)', () => {
      expect(reason({ ...like(), star_id: '0' })).toBe('star_id must be a positive 64-bit decimal integer');
      expect(reason({ ...like(), star_id: 0 })).toBe('star_id must be a positive 64-bit decimal integer');
      expect(reason({ ...like(), star_id: '-7' })).toBe('star_id must be a positive 64-bit decimal integer');
      expect(reason({ ...like(), star_id: '-9223372036854775808' })).toBe('star_id must be a positive 64-bit decimal integer');
      expect(reason({ ...like(), star_id: -1n })).toBe('star_id must be a positive 64-bit decimal integer');
      expect(reason({ ...like(), star_id: '1' })).toBe('accepted');
    });
    it('amounts and balances beyond ±(2^53 - 1)', () => {
      expect(reason(crystal(9007199254740991n, -9007199254740991n))).toBe('accepted');
      expect(reason(crystal(9007199254740992n, 0n))).toBe('properties.amount must be within ±9007199254740991 (2^53 - 1)');
      expect(reason(crystal(1, -9007199254740992n))).toBe('properties.balance_after must be within ±9007199254740991 (2^53 - 1)');
      expect(reason(crystal(2n ** 62n, 0))).toMatch(/^properties\.amount must be within/);
      expect(reason({ ...like(), properties: { ...like().properties, amount: 9007199254740992n } })).toMatch(
        /^properties\.amount must be within/,
      );
    });
    it('instants outside 2000-01-01 .. 2099-12-31 UTC, at the millisecond', () => {
      expect(reason({ ...like(), occurred_at: Date.UTC(2000, 0, 1) })).toBe('accepted');
      expect(reason({ ...like(), occurred_at: Date.UTC(2000, 0, 1) - 1 })).toBe('occurred_at must be from 2000-01-01 to 2099-12-31 (UTC)');
      expect(reason({ ...like(), occurred_at: 8640000000000001n })).toBe('occurred_at must be from 2000-01-01 to 2099-12-31 (UTC)');
      expect(reason({ ...like(), occurred_at: 0 })).toBe('occurred_at must be from 2000-01-01 to 2099-12-31 (UTC)');
    });
    it('impossible calendar dates and offsets', () => {
      expect(reason({ ...like(), occurred_at: '2026-02-30T10:00:00+08:00' })).toBe('occurred_at is not a calendar date');
      expect(reason({ ...like(), occurred_at: '2025-02-29T10:00:00Z' })).toBe('occurred_at is not a calendar date');
      expect(reason({ ...like(), occurred_at: '2024-02-29T10:00:00Z' })).toBe('accepted');
      expect(reason({ ...like(), occurred_at: '2026-11-22T10:00:00+23:59' })).toBe('occurred_at offset must be within ±14:00');
      expect(reason({ ...like(), occurred_at: '2026-11-22T10:00:00-14:01' })).toBe('occurred_at offset must be within ±14:00');
      expect(reason({ ...like(), occurred_at: '2026-11-22T10:00:00+14:00' })).toBe('accepted');
      expect(reason({ ...like(), occurred_at: '2026-11-22T24:00:00Z' })).toBe('occurred_at is not a valid time of day');
    });
    it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('properties key %s is not a field', (key) => {
      const e = JSON.parse(
        `{"event_id":"e","event_type":"asset.like","user_id":"1","star_id":"7","occurred_at":${NOW},"properties":{"asset_id":"1","liker_user_id":"2","amount":1,"${key}":"${'x'.repeat(2000)}"}}`,
      );
      expect(reason(e)).toBe(`properties.${key} is not a field of asset.like`);
    });
  });

  it('refuses circular properties with a reason instead of throwing', () => {
    const name: Record<string, unknown> = {};
    name.self = name;
    const v = validateEvent(
      { ...like(), event_type: 'asset.mint', properties: { asset_id: '5', level: 'N', asset_name: name, asset_thumb: 't' } },
      { now: NOW },
    );
    expect(v).toEqual({ ok: false, reason: 'properties must be plain JSON data (no cycles)' });
  });
});
