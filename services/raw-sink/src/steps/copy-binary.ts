import type { DashboardEvent } from '@fan/events';

/**
 * COPY … (FORMAT binary) of raw_events rows, written straight into one Buffer per chunk.
 * https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
 *
 * Why binary and why a Buffer: the text form built a string per row (ids and the instant as
 * decimal and ISO text, escaping), then one large string per chunk that had to be flattened and
 * encoded again on its way to the socket: about a fifth of the sink's CPU and much of its garbage
 * (docs/BENCHMARKS.md). Here ids, offsets and instants go in as 8-byte integers (no strings, no
 * parsing in Postgres), text needs no escaping, and nothing per row outlives the chunk.
 */

/** Column order of raw_stage / raw_events (without stored_at). */
export const RAW_COLUMNS = 'event_id, event_type, user_id, star_id, asset_id, occurred_at, properties, kafka_partition, kafka_offset';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Postgres timestamps count microseconds from 2000-01-01T00:00:00Z. */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 4_294_967_296;

interface Writer {
  buf: Buffer;
  at: number;
}

function ensure(w: Writer, bytes: number): void {
  if (w.at + bytes <= w.buf.length) return;
  const next = Buffer.allocUnsafe(Math.max(w.buf.length * 2, w.at + bytes));
  w.buf.copy(next, 0, 0, w.at);
  w.buf = next;
}

function start(sizeHint: number): Writer {
  const w = { buf: Buffer.allocUnsafe(sizeHint + 19), at: 0 };
  SIGNATURE.copy(w.buf, 0);
  w.buf.writeInt32BE(0, 11); // flags
  w.buf.writeInt32BE(0, 15); // header extension length
  w.at = 19;
  return w;
}

function finish(w: Writer): Buffer {
  ensure(w, 2);
  w.buf.writeInt16BE(-1, w.at);
  return w.buf.subarray(0, w.at + 2);
}

/** A text (or jsonb, with its version byte) field: length, then UTF-8. */
function text(w: Writer, s: string, jsonbVersion = false): void {
  ensure(w, 5 + s.length * 3);
  const lengthAt = w.at;
  let at = lengthAt + 4;
  if (jsonbVersion) w.buf[at++] = 1;
  const n = w.buf.write(s, at, 'utf8');
  w.buf.writeInt32BE(at + n - lengthAt - 4, lengthAt);
  w.at = at + n;
}

function int8(w: Writer, v: bigint): void {
  w.buf.writeInt32BE(8, w.at);
  w.buf.writeBigInt64BE(v, w.at + 4);
  w.at += 12;
}

/** A non-negative integer below 2^53 as int8, without a BigInt. */
function int8Safe(w: Writer, v: number): void {
  const hi = Math.floor(v / TWO_32);
  w.buf.writeInt32BE(8, w.at);
  w.buf.writeUInt32BE(hi, w.at + 4);
  w.buf.writeUInt32BE(v - hi * TWO_32, w.at + 8);
  w.at += 12;
}

/** The validator holds instants to 2000–2099, so the microseconds are positive and below 2^53. */
function timestamptz(w: Writer, epochMs: number): void {
  int8Safe(w, (epochMs - PG_EPOCH_MS) * 1000);
}

/** Kafka offsets are int64 strings; up to 15 digits they are exact as a double. */
function offset(w: Writer, o: string): void {
  if (o.length <= 15) int8Safe(w, Number(o));
  else int8(w, BigInt(o));
}

/** Properties as stored: ids as decimal strings, amounts as JSON numbers (CONTRACT §1 JSON form). */
export function propertiesJson(props: Record<string, unknown>): string {
  let out = '{';
  let first = true;
  for (const key in props) {
    const v = props[key];
    out += (first ? '"' : ',"') + key + '":';
    first = false;
    if (typeof v === 'bigint') out += key.endsWith('_id') ? `"${v}"` : v.toString();
    else out += JSON.stringify(v);
  }
  return out + '}';
}

function row(w: Writer, e: DashboardEvent, at: number, partition: number, kafkaOffset: string): void {
  ensure(w, 2 + 4 * 12 + 8);
  w.buf.writeInt16BE(9, w.at);
  w.at += 2;
  text(w, e.event_id);
  text(w, e.event_type);
  ensure(w, 3 * 12);
  int8(w, e.user_id);
  int8(w, e.star_id);
  if ('asset_id' in e.properties) int8(w, e.properties.asset_id);
  else {
    w.buf.writeInt32BE(-1, w.at);
    w.at += 4;
  }
  ensure(w, 12);
  timestamptz(w, at);
  text(w, propertiesJson(e.properties), true);
  ensure(w, 8 + 12);
  w.buf.writeInt32BE(4, w.at);
  w.buf.writeInt32BE(partition, w.at + 4);
  w.at += 8;
  offset(w, kafkaOffset);
}

/** One chunk in COPY binary form: rows of raw_events and (event_id, occurred_at) of raw_event_ids. */
export interface CopyChunk {
  rows: Buffer;
  ids: Buffer;
  count: number;
}

/** Builds a chunk, dropping repeats of an event_id inside the chunk (first one wins). */
export function copyChunk(items: ReadonlyArray<{ event: DashboardEvent; offset: string }>, partition: number): CopyChunk {
  const seen = new Set<string>();
  const rows = start(items.length * 200);
  const ids = start(items.length * 64);
  for (const { event, offset: o } of items) {
    if (seen.has(event.event_id)) continue;
    seen.add(event.event_id);
    const at = Number(event.occurred_at);
    row(rows, event, at, partition, o);
    ensure(ids, 2 + 12);
    ids.buf.writeInt16BE(2, ids.at);
    ids.at += 2;
    text(ids, event.event_id);
    ensure(ids, 12);
    timestamptz(ids, at);
  }
  return { rows: finish(rows), ids: finish(ids), count: seen.size };
}
