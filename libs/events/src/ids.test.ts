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
  it('agrees with the definition (a decimal regex, then BigInt and the range) on edges and 20,000 random strings', () => {
    const reference = (s: string): bigint | string => {
      if (!/^-?(0|[1-9][0-9]{0,19})$/.test(s)) return 'must be a decimal 64-bit integer';
      const n = BigInt(s);
      return n < -(2n ** 63n) || n > 2n ** 63n - 1n ? 'is outside the signed 64-bit range' : n;
    };
    const edges = ['', '-', '0', '-0', '00', '-00', '01', '9', '-9', '999999999999999', '1000000000000000', '-999999999999999'];
    edges.push('9007199254740991', '9007199254740993', '99999999999999999999', '100000000000000000000', '18446744073709551616');
    edges.push('9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809', '1/', '1:', '+1', '１');
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const alphabet = '0123456789-+ e.:/';
    const random: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      let s = '';
      const len = rand(23);
      // Mostly digits, so that most strings are valid and every width is covered.
      for (let j = 0; j < len; j++) s += rand(10) < 9 ? String(rand(10)) : alphabet[rand(alphabet.length)];
      random.push(s);
    }
    const all = [...edges, ...random];
    expect(all.filter((s) => parseInt64(s) !== reference(s))).toEqual([]);
    expect(random.filter((s) => typeof reference(s) === 'bigint').length).toBeGreaterThan(2_000);
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
