import { validateEvent, type DashboardEvent } from '@fan/events';
import { copyChunk } from './copy-binary';

const event = (input: object): DashboardEvent => {
  const v = validateEvent(input);
  if (!v.ok) throw new Error(v.reason);
  return v.event;
};

/** Reads COPY binary back into tuples of raw fields (null for NULL), checking header and trailer. */
function parse(buf: Buffer): Array<Array<Buffer | null>> {
  expect(buf.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
  expect(buf.readInt32BE(11)).toBe(0);
  expect(buf.readInt32BE(15)).toBe(0);
  const tuples: Array<Array<Buffer | null>> = [];
  let at = 19;
  for (;;) {
    const fields = buf.readInt16BE(at);
    at += 2;
    if (fields === -1) break;
    const tuple: Array<Buffer | null> = [];
    for (let i = 0; i < fields; i++) {
      const len = buf.readInt32BE(at);
      at += 4;
      tuple.push(len === -1 ? null : buf.subarray(at, at + len));
      if (len > 0) at += len;
    }
    tuples.push(tuple);
  }
  expect(at).toBe(buf.length);
  return tuples;
}
const int8 = (b: Buffer | null) => b!.readBigInt64BE(0);
/** Postgres timestamps: microseconds since 2000-01-01 UTC. */
const instant = (b: Buffer | null) => new Date(Number(int8(b) / 1000n) + 946_684_800_000).toISOString();

describe('copyChunk (COPY binary)', () => {
  const like = event({
    event_id: 'e-1 ünï',
    event_type: 'asset.like',
    user_id: '9223372036854775807',
    star_id: '7',
    occurred_at: '2026-11-22T00:00:00.123+08:00',
    properties: { asset_id: '1234567890123456789', liker_user_id: '42', amount: 5 },
  });
  const change = event({
    event_id: 'tab\tid',
    event_type: 'crystal.change',
    user_id: '1',
    star_id: '2',
    occurred_at: Date.UTC(2099, 11, 31, 23, 59, 59, 999),
    properties: { amount: -3, balance_after: 10, reason: 'line\nbreak \\ "quoted" 中文' },
  });

  it('writes ids and offsets as exact int8, the instant in microseconds, properties as jsonb with ids as strings', () => {
    const { rows, ids, count } = copyChunk(
      [
        { event: like, offset: '9223372036854775806' },
        { event: change, offset: '17' },
      ],
      11,
    );
    expect(count).toBe(2);
    const [a, b] = parse(rows);
    expect(a!.length).toBe(9);
    expect(a![0]!.toString('utf8')).toBe('e-1 ünï');
    expect(a![1]!.toString('utf8')).toBe('asset.like');
    expect(int8(a![2]!)).toBe(9223372036854775807n);
    expect(int8(a![3]!)).toBe(7n);
    expect(int8(a![4]!)).toBe(1234567890123456789n);
    expect(instant(a![5]!)).toBe('2026-11-21T16:00:00.123Z');
    expect(a![6]![0]).toBe(1); // jsonb version
    expect(a![6]!.subarray(1).toString('utf8')).toBe('{"asset_id":"1234567890123456789","liker_user_id":"42","amount":5}');
    expect(a![7]!.readInt32BE(0)).toBe(11);
    expect(int8(a![8]!)).toBe(9223372036854775806n);

    // Text goes in as it is (binary COPY has no escaping); an event without an asset has NULL.
    expect(b![0]!.toString('utf8')).toBe('tab\tid');
    expect(b![4]).toBeNull();
    expect(instant(b![5]!)).toBe('2099-12-31T23:59:59.999Z');
    expect(JSON.parse(b![6]!.subarray(1).toString('utf8'))).toEqual({
      amount: -3,
      balance_after: 10,
      reason: 'line\nbreak \\ "quoted" 中文',
    });
    expect(int8(b![8]!)).toBe(17n);

    const idTuples = parse(ids);
    expect(idTuples.map((t) => [t[0]!.toString('utf8'), instant(t[1]!)])).toEqual([
      ['e-1 ünï', '2026-11-21T16:00:00.123Z'],
      ['tab\tid', '2099-12-31T23:59:59.999Z'],
    ]);
  });

  it('keeps the first of repeated event ids inside a chunk', () => {
    const { rows, ids, count } = copyChunk(
      [
        { event: like, offset: '1' },
        { event: like, offset: '2' },
      ],
      0,
    );
    expect(count).toBe(1);
    expect(parse(rows).map((t) => int8(t[8]!))).toEqual([1n]);
    expect(parse(ids)).toHaveLength(1);
  });

  it('grows its buffer for rows larger than the estimate', () => {
    const long = event({
      event_id: 'x'.repeat(60),
      event_type: 'crystal.change',
      user_id: '1',
      star_id: '2',
      occurred_at: Date.UTC(2026, 0, 1),
      properties: { amount: 1, balance_after: 1, reason: '长'.repeat(300) },
    });
    const items = Array.from({ length: 50 }, (_, i) => ({ event: { ...long, event_id: `${long.event_id}${i}` }, offset: String(i) }));
    const parsed = parse(copyChunk(items, 0).rows);
    expect(parsed).toHaveLength(50);
    expect(parsed[49]![0]!.toString('utf8')).toBe(`${'x'.repeat(60)}49`);
  });

  it('an empty chunk is a valid COPY of nothing', () => {
    const { rows, count } = copyChunk([], 0);
    expect(count).toBe(0);
    expect(parse(rows)).toEqual([]);
  });
});
