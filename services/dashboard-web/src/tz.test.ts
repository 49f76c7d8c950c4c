import { texts } from './i18n';
import { fill, pickZone } from './tz';

describe('pickZone (?tz=)', () => {
  it('uses the business zone when ?tz= is absent or blank, without a notice', () => {
    expect(pickZone(null)).toEqual({ zone: 'Asia/Shanghai' });
    expect(pickZone('  ')).toEqual({ zone: 'Asia/Shanghai' });
  });

  it('accepts a zone Intl knows, in its canonical spelling', () => {
    expect(pickZone('Europe/Berlin')).toEqual({ zone: 'Europe/Berlin' });
    expect(pickZone('asia/tokyo')).toEqual({ zone: 'Asia/Tokyo' });
    expect(pickZone('UTC')).toEqual({ zone: 'UTC' });
  });

  it('falls back to the business zone for a value that is not a zone, and says which', () => {
    expect(pickZone('Mars/Olympus')).toEqual({ zone: 'Asia/Shanghai', rejected: 'Mars/Olympus' });
    expect(pickZone('%%%')).toEqual({ zone: 'Asia/Shanghai', rejected: '%%%' });
    expect(pickZone('Mars/Olympus', 'UTC')).toEqual({ zone: 'UTC', rejected: 'Mars/Olympus' });
  });

  it('cuts a long refused value to 40 characters', () => {
    expect(pickZone('x'.repeat(100)).rejected).toBe(`${'x'.repeat(40)}…`);
  });
});

describe('fill', () => {
  it('puts the values into the notice in both languages, leaving unknown placeholders', () => {
    const v = { zone: 'Mars/Olympus', fallback: 'Asia/Shanghai' };
    expect(fill(texts('en').tzUnknown, v)).toBe('Time zone “Mars/Olympus” was not recognised; showing Asia/Shanghai instead.');
    expect(fill(texts('zh-CN').tzUnknown, v)).toBe('无法识别时区“Mars/Olympus”，改用 Asia/Shanghai 显示。');
    expect(fill('{a} {b}', { a: '1' })).toBe('1 {b}');
  });
});
