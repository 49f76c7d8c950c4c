import { loadConfig } from '../config';
import { dauRange, historyPoints } from './params';

const message = (r: { ok: boolean; message?: string }) => (r.ok ? 'ok' : r.message);
const history = (from: string, to: string, interval = '1h') => historyPoints({ from, to, interval });

describe('online-history parameters', () => {
  it('reads from and to with the one instant parser: ISO-8601 with an offset, or epoch ms', () => {
    expect(history('2026-11-24T00:00:00+08:00', '2026-11-24T03:00:00+08:00')).toEqual({
      ok: true,
      value: [1, 2, 3].map((h) => Date.UTC(2026, 10, 23, 16 + h)),
    });
    expect(history(String(Date.UTC(2026, 10, 23, 16)), String(Date.UTC(2026, 10, 23, 18)))).toEqual({
      ok: true,
      value: [17, 18].map((h) => Date.UTC(2026, 10, 23, h)),
    });
  });

  it.each([
    ['0000-01-01T00:00:00Z', '2026-11-25T00:00:00Z', 'from must be from 2000-01-01 to 2099-12-31 (UTC)'],
    ['+275760-09-13T00:00:00Z', '2026-11-25T00:00:00Z', 'from must be epoch milliseconds or ISO-8601 with an offset'],
    ['2026-11-24T00:00:00Z', '2100-01-01T00:00:00Z', 'to must be from 2000-01-01 to 2099-12-31 (UTC)'],
    ['2026-02-30T10:00:00+08:00', '2026-11-25T00:00:00Z', 'from is not a calendar date'],
    ['2026-11-24T00:00:00+23:59', '2026-11-25T00:00:00Z', 'from offset must be within ±14:00'],
    ['Wed, 02 Dec 2026 10:00:00 +08:00', '2026-11-25T00:00:00Z', 'from must be epoch milliseconds or ISO-8601 with an offset'],
  ])('refuses from=%s to=%s: %s', (from, to, why) => {
    expect(message(history(from, to))).toBe(why);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('refuses interval=%s', (interval) => {
    expect(message(history('2026-11-24T00:00:00Z', '2026-11-25T00:00:00Z', interval))).toBe('interval must be one of 1m, 5m, 1h');
  });

  it('refuses a missing or repeated parameter', () => {
    expect(message(historyPoints({ to: '2026-11-25T00:00:00Z', interval: '1h' }))).toBe('from is required (ISO-8601 with an offset)');
    expect(message(historyPoints({ from: ['a', 'b'], to: '2026-11-25T00:00:00Z', interval: '1h' }))).toBe(
      'from is required (ISO-8601 with an offset)',
    );
    expect(message(historyPoints({ from: '2026-11-24T00:00:00Z', to: '2026-11-25T00:00:00Z', interval: ['1h'] }))).toBe(
      'interval must be one of 1m, 5m, 1h',
    );
  });
});

describe('dau parameters', () => {
  it.each([
    ['0000-01-01', '2026-01-01', 'start_date must be from 1999-12-31 to 2100-01-01'],
    ['0099-12-31', '2026-01-01', 'start_date must be from 1999-12-31 to 2100-01-01'],
    ['2026-01-01', '9999-12-31', 'end_date must be from 1999-12-31 to 2100-01-01'],
    ['2026-02-29', '2026-03-01', 'start_date must be a calendar date YYYY-MM-DD'],
    ['+2026-01-01', '2026-03-01', 'start_date must be a calendar date YYYY-MM-DD'],
  ])('refuses start_date=%s end_date=%s: %s', (start_date, end_date, why) => {
    expect(message(dauRange({ start_date, end_date }))).toBe(why);
  });

  it('takes the first and last business days the instants can fall on', () => {
    expect(dauRange({ start_date: '1999-12-31', end_date: '2000-01-01' })).toEqual({ ok: true, value: ['1999-12-31', '2000-01-01'] });
    expect(dauRange({ start_date: '2099-12-31', end_date: '2100-01-01' })).toEqual({ ok: true, value: ['2099-12-31', '2100-01-01'] });
    expect(dauRange({ start_date: '2024-02-29', end_date: '2024-02-29' })).toEqual({ ok: true, value: ['2024-02-29'] });
  });
});

// CLOCK_NOW is read by the same parser (services/query-api/src/config.ts).
describe('CLOCK_NOW', () => {
  const env = { NODE_ENV: 'development' };
  it('pins now to an ISO-8601 instant with an offset', () => {
    expect(loadConfig({ ...env, CLOCK_NOW: '2026-11-22T10:00:00+08:00' }).clockNow).toBe(Date.UTC(2026, 10, 22, 2));
  });
  it.each([
    ['2026-02-30T10:00:00+08:00', 'CLOCK_NOW is not a calendar date'],
    ['2026-11-22T10:00:00+23:59', 'CLOCK_NOW offset must be within ±14:00'],
    ['Wed, 02 Dec 2026 10:00:00 +08:00', 'CLOCK_NOW must be epoch milliseconds or ISO-8601 with an offset'],
  ])('refuses %s at start-up, naming the variable', (value, why) => {
    expect(() => loadConfig({ ...env, CLOCK_NOW: value })).toThrow(why);
  });
});
