import { durationText } from './format';

describe('durationText', () => {
  it.each([
    [0, '0h00m'],
    [59, '0h00m'],
    [60, '0h01m'],
    [11_100, '3h05m'],
    [186_000, '51h40m'],
  ])('%d s is %s', (s, text) => expect(durationText(s)).toBe(text));
});
