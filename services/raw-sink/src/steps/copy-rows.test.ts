import { validateEvent, type DashboardEvent } from '@fan/events';
import { copyEscape, copyRow } from './copy-rows';

const event = (input: object): DashboardEvent => {
  const v = validateEvent(input);
  if (!v.ok) throw new Error(v.reason);
  return v.event;
};

describe('copyRow', () => {
  it('writes ids exactly, the instant in UTC and ids inside properties as strings', () => {
    const e = event({
      event_id: 'e-1',
      event_type: 'asset.like',
      user_id: '9223372036854775807',
      star_id: '7',
      occurred_at: '2026-11-22T00:00:00.000+08:00',
      properties: { asset_id: '1234567890123456789', liker_user_id: '42', amount: 5 },
    });
    expect(copyRow(e, 2, '17')).toBe(
      'e-1\tasset.like\t9223372036854775807\t7\t1234567890123456789\t2026-11-21T16:00:00.000Z\t' +
        '{"asset_id":"1234567890123456789","liker_user_id":"42","amount":5}\t2\t17\n',
    );
  });

  it('writes NULL for events without an asset and escapes text', () => {
    const e = event({
      event_id: 'tab\tid',
      event_type: 'crystal.change',
      user_id: '1',
      star_id: '2',
      occurred_at: Date.UTC(2026, 0, 1),
      properties: { amount: -3, balance_after: 10, reason: 'line\nbreak \\ "quoted"' },
    });
    const cols = copyRow(e, 0, '0').split('\t');
    expect(cols[0]).toBe('tab\\tid');
    expect(cols[4]).toBe('\\N');
    // What Postgres reads back after COPY's unescaping is the JSON of the original properties.
    const unescaped = cols[6]!.replace(/\\(.)/g, (_m, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c);
    expect(JSON.parse(unescaped)).toEqual({ amount: -3, balance_after: 10, reason: 'line\nbreak \\ "quoted"' });
  });

  it('leaves plain text untouched', () => {
    expect(copyEscape('plain')).toBe('plain');
    expect(copyEscape('a\\b\r')).toBe('a\\\\b\\r');
  });
});
