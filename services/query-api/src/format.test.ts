import { add, durationText, floorDiv, num } from './format';

describe('durationText', () => {
  it.each([
    [0, '0h00m'],
    [59, '0h00m'],
    [60, '0h01m'],
    [11_100, '3h05m'],
    [186_000, '51h40m'],
  ])('%d s is %s', (s, text) => expect(durationText(s)).toBe(text));
});

describe('exact integers', () => {
  const MAX = Number.MAX_SAFE_INTEGER;
  it('num: numbers while safe, bigints beyond, 0 for none', () => {
    expect(num(null)).toBe(0);
    expect(num(undefined)).toBe(0);
    expect(num(7)).toBe(7);
    expect(num('0')).toBe(0);
    expect(num('-12')).toBe(-12);
    expect(num('9007199254740991')).toBe(MAX);
    expect(num('-9007199254740991')).toBe(-MAX);
    expect(num('9007199254740992')).toBe(2n ** 53n);
    expect(num('27021597764222973')).toBe(27021597764222973n);
    expect(num('-9007199254740993')).toBe(-(2n ** 53n) - 1n);
    expect(num('1000000000000000000000000000000')).toBe(10n ** 30n);
  });

  it('add: a number while the sum is safe, else the exact bigint', () => {
    expect(add(1, 2)).toBe(3);
    expect(add(MAX, 1)).toBe(2n ** 53n);
    expect(add(MAX, MAX)).toBe(2n * BigInt(MAX));
    expect(add(2n ** 53n, -1)).toBe(MAX);
    expect(add(10n ** 30n, 10n ** 30n)).toBe(2n * 10n ** 30n);
  });

  it('floorDiv floors exactly, for numbers and bigints, negatives included', () => {
    expect(floorDiv(13, 7)).toBe(1);
    expect(floorDiv(-13, 7)).toBe(-2);
    expect(floorDiv(MAX, 7)).toBe(1286742750677284);
    expect(floorDiv(27021597764222973n, 7)).toBe(3860228252031853);
    expect(floorDiv(10n ** 30n + 6n, 7)).toBe((10n ** 30n + 6n) / 7n);
    expect(floorDiv(-(10n ** 30n), 7)).toBe(-(10n ** 30n) / 7n - 1n);
    expect(floorDiv(-(7n * 10n ** 30n), 7)).toBe(-(10n ** 30n));
    expect(floorDiv(18014398509481982999n, 1000)).toBe(18014398509481982n);
  });

  it('durationText of a bigint count of seconds', () => {
    expect(durationText(2n ** 60n + 3660n)).toBe(`${(2n ** 60n + 3660n) / 3600n}h${((2n ** 60n + 3660n) % 3600n) / 60n}m`);
    expect(durationText(10n ** 20n)).toBe('27777777777777777h46m');
  });
});
