import { answerJson } from './answer-json';

describe('answerJson', () => {
  it.each([
    ['2^53 + 1', 2n ** 53n + 1n, '9007199254740993'],
    ['2^63', 2n ** 63n, '9223372036854775808'],
    ['10^30', 10n ** 30n, '1000000000000000000000000000000'],
    ['-(2^53 + 1)', -(2n ** 53n) - 1n, '-9007199254740993'],
    ['-10^30', -(10n ** 30n), '-1000000000000000000000000000000'],
    ['0n', 0n, '0'],
  ])('writes %s with all its digits, as a JSON number', (_, big, digits) => {
    expect(answerJson({ code: 200, data: { today_income: big, week_rank: 1 } })).toBe(
      `{"code":200,"data":{"today_income":${digits},"week_rank":1}}`,
    );
    expect(answerJson([big, 7])).toBe(`[${digits},7]`);
  });

  it('writes bigints inside nested arrays and objects, numbers and strings unchanged', () => {
    const data = {
      points: [
        { date: '2026-11-20', income: 27021597764222973n, is_today: true, is_peak: true },
        { date: '2026-11-19', income: 0, is_today: false, is_peak: false },
      ],
      total_income: 27021597764222973n,
      avg_income: 3860228252031853,
      note: '27021597764222973n',
    };
    expect(answerJson({ code: 200, data })).toBe(
      '{"code":200,"data":{"points":[{"date":"2026-11-20","income":27021597764222973,"is_today":true,"is_peak":true},' +
        '{"date":"2026-11-19","income":0,"is_today":false,"is_peak":false}],"total_income":27021597764222973,' +
        '"avg_income":3860228252031853,"note":"27021597764222973n"}}',
    );
  });

  // Strings that look like digits, a token or JSON itself stay strings: nothing is replaced in text.
  it('never turns a string into a number, whatever it holds', () => {
    const tricky = ['9007199254740993', '"9007199254740993"', '\u0000bigint:1\u0000', '__BIGINT__1', '{"a":1}', '\ud800', 'é\n\t"\\'];
    for (const s of tricky) {
      expect(answerJson({ s, n: 2n ** 64n })).toBe(`{"s":${JSON.stringify(s)},"n":18446744073709551616}`);
      expect(JSON.parse(answerJson({ s, n: 2n ** 64n })).s).toBe(s);
    }
  });

  it('is JSON.stringify when no bigint is present, and matches it for everything answers hold', () => {
    const values: unknown[] = [
      { code: 200, data: { crystal_balance: 12, today_income: 0, week_rank: 0, week_total_users: 3 } },
      { a: [1, -0, 1.5, 1e21, NaN, Infinity, null, undefined, () => 1, true, false], b: undefined, c: () => 1, d: 'x' },
      { at: new Date(Date.UTC(2026, 10, 20)), nested: { deeper: [[], {}, [{}]] }, 'ké"y': '\u2028\ud83d\ude00' },
      [new Number(3), new String('s'), new Boolean(false)],
      'plain',
      42,
      null,
    ];
    for (const v of values) {
      const withBig = { v, big: 2n ** 70n };
      expect(answerJson(v)).toBe(JSON.stringify(v));
      // The slow path (a bigint beside them) writes them exactly as JSON.stringify does.
      expect(answerJson(withBig)).toBe(JSON.stringify({ v, big: '@' }).replace('"@"', (2n ** 70n).toString()));
    }
  });

  it('writes digits even when a library gave BigInt a toJSON', () => {
    const proto = BigInt.prototype as unknown as { toJSON?: () => string };
    proto.toJSON = function (this: bigint) {
      return this.toString();
    };
    try {
      expect(answerJson({ n: 2n ** 63n, m: 5 })).toBe('{"n":9223372036854775808,"m":5}');
    } finally {
      delete proto.toJSON;
    }
  });

  it('refuses a circular answer instead of looping', () => {
    const a: Record<string, unknown> = { n: 1n };
    a.self = a;
    expect(() => answerJson(a)).toThrow(TypeError);
  });
});
