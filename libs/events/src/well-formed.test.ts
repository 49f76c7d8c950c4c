import { loneSurrogateIndex, malformedUnicodeReason } from './well-formed';

describe('loneSurrogateIndex', () => {
  it.each([
    ['', -1],
    ['plain ascii', -1],
    ['广东 é \u0001', -1],
    ['\ud83d\ude00', -1],
    ['a\ud83d\ude00b\udbff\udfff', -1],
    ['p-\ud800', 2],
    ['p-\udbff', 2],
    ['\udc00', 0],
    ['x\ude00\ud83d', 1],
    ['\ud83d\ud83d\ude00', 0],
    ['\ud83d\ude00\ud83d', 2],
    ['ab\ud83dc', 2],
  ])('%j -> %i', (s, i) => {
    expect(loneSurrogateIndex(s)).toBe(i);
  });

  it('agrees with String.prototype.isWellFormed', () => {
    const units = [0x41, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000];
    for (const a of units)
      for (const b of units)
        for (const c of units) {
          const s = String.fromCharCode(a, b, c);
          expect(loneSurrogateIndex(s) < 0).toBe((s as unknown as { isWellFormed(): boolean }).isWellFormed());
        }
  });

  it('names the index in the reason tail', () => {
    expect(malformedUnicodeReason('p-\ud800')).toBe('must be well-formed Unicode (lone surrogate at index 2)');
    expect(malformedUnicodeReason('p-\ud83d\ude00')).toBeUndefined();
  });
});
