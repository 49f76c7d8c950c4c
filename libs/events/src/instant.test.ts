import { MAX_INSTANT, MIN_INSTANT, parseInstant, parseInstantText, parseIsoInstant } from './instant';

const NOT_AN_INSTANT = 'must be epoch milliseconds or ISO-8601 with an offset';
const OUT_OF_RANGE = 'must be from 2000-01-01 to 2099-12-31 (UTC)';

describe('the one instant parser (CONTRACT §1)', () => {
  it.each<[string, number]>([
    ['2024-02-29T10:00:00Z', Date.UTC(2024, 1, 29, 10)],
    ['2026-11-22T10:00:00.000+08:00', Date.UTC(2026, 10, 22, 2)],
    ['2026-11-22T10:00Z', Date.UTC(2026, 10, 22, 10)],
    ['2026-11-22T10:00:00+14:00', Date.UTC(2026, 10, 21, 20)],
    ['2026-11-22T10:00:00-12:00', Date.UTC(2026, 10, 22, 22)],
    ['2026-11-22T10:00:00-00:00', Date.UTC(2026, 10, 22, 10)],
    ['2026-11-22T10:00:00.1Z', Date.UTC(2026, 10, 22, 10, 0, 0, 100)],
    ['2026-11-22T10:00:00.12Z', Date.UTC(2026, 10, 22, 10, 0, 0, 120)],
    // Beyond milliseconds the fraction is cut, never rounded into the next millisecond (or day).
    ['2026-11-22T10:00:00.123456789Z', Date.UTC(2026, 10, 22, 10, 0, 0, 123)],
    ['2099-12-31T23:59:59.999999999Z', MAX_INSTANT - 1],
    ['2000-01-01T00:00:00Z', MIN_INSTANT],
    // Local 1999 that is 2000 in UTC is inside the range, and the other way round.
    ['1999-12-31T23:00:00-02:00', Date.UTC(2000, 0, 1, 1)],
  ])('reads %s', (s, ms) => {
    expect(parseIsoInstant(s)).toBe(ms);
    expect(parseInstant(s)).toBe(ms);
    expect(parseInstantText(s)).toBe(ms);
  });

  it.each<[string, string]>([
    ['2026-02-29T10:00:00Z', 'is not a calendar date'],
    ['2026-02-30T10:00:00+08:00', 'is not a calendar date'],
    ['2100-02-29T10:00:00Z', 'is not a calendar date'],
    ['2026-13-01T10:00:00Z', 'is not a calendar date'],
    ['2026-04-31T10:00:00Z', 'is not a calendar date'],
    ['2026-11-00T10:00:00Z', 'is not a calendar date'],
    ['2026-11-22T24:00:00Z', 'is not a valid time of day'],
    ['2026-11-22T10:60:00Z', 'is not a valid time of day'],
    ['2026-11-22T10:00:60Z', 'is not a valid time of day'],
    ['2026-11-22T10:00:00+14:01', 'offset must be within ±14:00'],
    ['2026-11-22T10:00:00-14:01', 'offset must be within ±14:00'],
    ['2026-11-22T10:00:00+23:59', 'offset must be within ±14:00'],
    ['2026-11-22T10:00:00+08:60', 'offset must be within ±14:00'],
    ['2100-01-01T00:00:00Z', OUT_OF_RANGE],
    ['2099-12-31T23:00:00-02:00', OUT_OF_RANGE],
    ['1999-12-31T23:59:59.999Z', OUT_OF_RANGE],
    ['0000-01-01T00:00:00Z', OUT_OF_RANGE],
    ['0099-12-31T23:00:00-14:00', OUT_OF_RANGE], // Date.UTC would read year 99 as 1999
    ['9999-12-31T23:59:59Z', OUT_OF_RANGE],
    ['+275760-09-13T00:00:00Z', NOT_AN_INSTANT],
    ['Wed, 02 Dec 2026 10:00:00 +08:00', NOT_AN_INSTANT],
    ['2026-11-22T10:00:00', NOT_AN_INSTANT],
    ['2026-11-22', NOT_AN_INSTANT],
    ['2026-11-22 10:00:00Z', NOT_AN_INSTANT],
    ['2026-11-22t10:00:00z', NOT_AN_INSTANT],
    ['2026-11-22T10:00:00z', NOT_AN_INSTANT],
    ['2026-11-22T10:00:00+0800', NOT_AN_INSTANT],
    ['2026-11-22T10:00:00+08', NOT_AN_INSTANT],
    ['2026-11-22T10:00:00.Z', NOT_AN_INSTANT],
    ['2026-11-22T10:00:00.1234567891Z', NOT_AN_INSTANT],
    ['2026-11-22T10:00:00Z ', NOT_AN_INSTANT],
    ['2026-11-22T10:00:00ZZ', NOT_AN_INSTANT],
    ['2026-11-22T1:00:00Z', NOT_AN_INSTANT],
    ['2026-1a-22T10:00:00Z', NOT_AN_INSTANT],
    ['２０２６-11-22T10:00:00Z', NOT_AN_INSTANT],
    ['', NOT_AN_INSTANT],
  ])('refuses %j: %s', (s, reason) => {
    expect(parseIsoInstant(s)).toBe(reason);
    expect(parseInstant(s)).toBe(reason);
  });

  it('the JSON way in: epoch ms numbers and bigints, strings ISO only', () => {
    expect(parseInstant(1_795_341_600_000)).toBe(1_795_341_600_000);
    expect(parseInstant(1_795_341_600_000n)).toBe(1_795_341_600_000n);
    expect(parseInstant(MIN_INSTANT)).toBe(MIN_INSTANT);
    expect(parseInstant(MIN_INSTANT - 1)).toBe(OUT_OF_RANGE);
    expect(parseInstant(MAX_INSTANT)).toBe(OUT_OF_RANGE);
    expect(parseInstant(BigInt(MAX_INSTANT))).toBe(OUT_OF_RANGE);
    expect(parseInstant(0)).toBe(OUT_OF_RANGE);
    expect(parseInstant(1.5)).toBe('must be an integer');
    expect(parseInstant(2 ** 60)).toBe('is too large');
    expect(parseInstant(Number.NaN)).toBe('must be an integer');
    // A numeric string in JSON is refused, as the dashboard validator always did: JSON has numbers.
    expect(parseInstant('1795341600000')).toBe(NOT_AN_INSTANT);
    expect(parseInstant(undefined)).toBe('is required');
    expect(parseInstant(null)).toBe(NOT_AN_INSTANT);
    expect(parseInstant(true)).toBe(NOT_AN_INSTANT);
  });

  it('query parameters (text): decimal epoch ms, else ISO-8601', () => {
    expect(parseInstantText('1795341600000')).toBe(1_795_341_600_000);
    expect(parseInstantText('0')).toBe(OUT_OF_RANGE);
    expect(parseInstantText('99999999999999999999')).toBe(NOT_AN_INSTANT);
    expect(parseInstantText('-1')).toBe(NOT_AN_INSTANT);
    expect(parseInstantText('1795341600000.5')).toBe(NOT_AN_INSTANT);
    expect(parseInstantText('')).toBe(NOT_AN_INSTANT);
    expect(parseInstantText('2026-11-22T10:00:00+23:59')).toBe('offset must be within ±14:00');
  });
});
