import { formatters, pickLocale } from './format';

describe('page formatting', () => {
  it('picks zh-CN for any Chinese browser language or ?lang=zh, else English', () => {
    expect(pickLocale(null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(pickLocale('zh', ['en-US'])).toBe('zh-CN');
    expect(pickLocale(undefined, ['de-DE'])).toBe('en');
    expect(pickLocale('en', ['zh-CN'])).toBe('en');
  });

  it('formats numbers, days and durations in each locale', () => {
    const en = formatters('en');
    const zh = formatters('zh-CN');
    expect(en.int(1234567)).toBe('1,234,567');
    expect(zh.int(1234567)).toBe('1,234,567');
    expect(en.compact(9999)).toBe('9,999');
    expect(en.compact(1_250_000)).toBe('1.3M');
    expect(zh.compact(1_250_000)).toBe('125万');
    expect(en.day('2026-11-24')).toBe('Tue, Nov 24');
    expect(zh.day('2026-11-24')).toBe('11月24日周二');
    expect(en.duration(0)).toBe('0h 00m');
    expect(en.duration(3 * 3600 + 5 * 60 + 59)).toBe('3h 05m');
    expect(zh.duration(51 * 3600 + 40 * 60)).toBe('51小时40分');
    expect(en.percent(99.6)).toBe('100%');
  });

  it('reuses one set of formatters per locale', () => {
    expect(formatters('en')).toBe(formatters('en'));
  });
});
