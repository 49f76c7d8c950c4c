import { compareEventIds, parseInt64, parsePositiveId } from './ids';

describe('parseInt64', () => {
  it.each([
    ['1234567890123456789', 1234567890123456789n],
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
    [42, 42n],
    [9007199254740991, 9007199254740991n],
  ])('parses %p exactly', (input, expected) => {
    expect(parseInt64(input)).toBe(expected);
  });
  it.each([
    ['9223372036854775808', 'is outside the signed 64-bit range'],
    ['007', 'must be a decimal 64-bit integer'],
    ['1e5', 'must be a decimal 64-bit integer'],
    [' 1', 'must be a decimal 64-bit integer'],
    [9007199254740992, 'must be a decimal string (numbers only when a safe integer)'],
    [undefined, 'is required'],
    [true, 'must be a decimal 64-bit integer'],
  ])('rejects %p', (input, reason) => {
    expect(parseInt64(input)).toBe(reason);
  });
});

describe('parsePositiveId', () => {
  it('accepts positive 64-bit decimals only', () => {
    expect(parsePositiveId('9223372036854775807')).toBe(9223372036854775807n);
    expect(parsePositiveId('9223372036854775808')).toBeUndefined();
    expect(parsePositiveId('0')).toBeUndefined();
    expect(parsePositiveId('-1')).toBeUndefined();
    expect(parsePositiveId('01')).toBeUndefined();
    expect(parsePositiveId(undefined)).toBeUndefined();
  });
});

describe('compareEventIds', () => {
  const sign = (n: number) => Math.sign(n);
  it('orders as Postgres COLLATE "C" does (UTF-8 bytes), not as JavaScript < does', () => {
    const ids = ['b', 'a', 'ab', '\uffff', '😀', '\ue000', 'é', 'Z', ''];
    const byBytes = [...ids].sort((p, q) => Buffer.compare(Buffer.from(p), Buffer.from(q)));
    expect([...ids].sort(compareEventIds)).toEqual(byBytes);
    expect('\uffff' < '😀').toBe(false); // the JavaScript order that would disagree with Postgres
    expect(sign(compareEventIds('\uffff', '😀'))).toBe(-1);
    expect(sign(compareEventIds('x', 'x'))).toBe(0);
  });
});
