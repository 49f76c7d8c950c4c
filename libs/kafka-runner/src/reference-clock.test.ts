import { offsetOf } from './reference-clock';

describe('offsetOf', () => {
  it('is the reference minus the midpoint of the round trip', () => {
    // Sent at 1,000, answered at 1,010 (this clock); the reference read 37,001,005 half-way.
    expect(offsetOf(1_000, 36_001_005, 1_010)).toBe(36_000_000);
    expect(offsetOf(50_000_000, 20_000_004, 50_000_008)).toBe(-30_000_000);
  });
});
