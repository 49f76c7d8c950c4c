import { addDays, businessDate } from './business-time';

describe('businessDate', () => {
  const tz = 'Asia/Shanghai';
  it('puts 23:59:59.999 and 00:00:00.000 business time on different days', () => {
    expect(businessDate(Date.parse('2026-11-22T23:59:59.999+08:00'), tz)).toBe('2026-11-22');
    expect(businessDate(Date.parse('2026-11-23T00:00:00.000+08:00'), tz)).toBe('2026-11-23');
  });
  it('uses the zone, not UTC (16:00Z is midnight in Shanghai)', () => {
    expect(businessDate(Date.parse('2026-11-22T15:59:59.999Z'), tz)).toBe('2026-11-22');
    expect(businessDate(Date.parse('2026-11-22T16:00:00.000Z'), tz)).toBe('2026-11-23');
    expect(businessDate(Date.parse('2026-11-22T16:00:00.000Z'), 'UTC')).toBe('2026-11-22');
  });
  it('accepts bigint epoch ms', () => {
    expect(businessDate(BigInt(Date.parse('2026-01-01T00:00:00+08:00')), tz)).toBe('2026-01-01');
  });
  it('adds calendar days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
