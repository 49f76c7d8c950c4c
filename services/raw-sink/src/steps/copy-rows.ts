import type { DashboardEvent } from '@fan/events';

/**
 * COPY text format: tab-separated columns, one line per row; backslash, tab, newline and carriage
 * return inside a value must be escaped. https://www.postgresql.org/docs/current/sql-copy.html
 */
const NEEDS_ESCAPE = /[\\\t\n\r]/;
export function copyEscape(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Properties as stored: ids as decimal strings, amounts as JSON numbers (CONTRACT §1 JSON form). */
function propertiesJson(props: Record<string, unknown>): string {
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

/** Column order of raw_stage / raw_events (without stored_at). */
export const RAW_COLUMNS = 'event_id, event_type, user_id, star_id, asset_id, occurred_at, properties, kafka_partition, kafka_offset';

function rowFrom(e: DashboardEvent, id: string, at: string, partition: number, offset: string): string {
  const assetId = 'asset_id' in e.properties ? e.properties.asset_id.toString() : '\\N';
  return (
    id +
    '\t' +
    e.event_type +
    '\t' +
    e.user_id +
    '\t' +
    e.star_id +
    '\t' +
    assetId +
    '\t' +
    at +
    '\t' +
    copyEscape(propertiesJson(e.properties)) +
    '\t' +
    partition +
    '\t' +
    offset +
    '\n'
  );
}

export function copyRow(e: DashboardEvent, partition: number, offset: string): string {
  return rowFrom(e, copyEscape(e.event_id), new Date(Number(e.occurred_at)).toISOString(), partition, offset);
}

/** One chunk in COPY text form: rows of raw_events and (event_id, occurred_at) of raw_event_ids. */
export interface CopyChunk {
  rows: string;
  ids: string;
  count: number;
}

/** Builds a chunk's COPY text, dropping repeats of an event_id inside the chunk (first one wins). */
export function copyChunk(items: ReadonlyArray<{ event: DashboardEvent; offset: string }>, partition: number): CopyChunk {
  const seen = new Set<string>();
  let rows = '';
  let ids = '';
  for (const { event, offset } of items) {
    if (seen.has(event.event_id)) continue;
    seen.add(event.event_id);
    const id = copyEscape(event.event_id);
    const at = new Date(Number(event.occurred_at)).toISOString();
    rows += rowFrom(event, id, at, partition, offset);
    ids += id + '\t' + at + '\n';
  }
  return { rows, ids, count: seen.size };
}
