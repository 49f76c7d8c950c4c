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
export const RAW_COLUMNS =
  'event_id, event_type, user_id, star_id, asset_id, occurred_at, properties, kafka_partition, kafka_offset';

export function copyRow(e: DashboardEvent, partition: number, offset: string): string {
  const assetId = 'asset_id' in e.properties ? e.properties.asset_id.toString() : '\\N';
  return (
    copyEscape(e.event_id) + '\t' + e.event_type + '\t' + e.user_id + '\t' + e.star_id + '\t' + assetId + '\t' +
    new Date(Number(e.occurred_at)).toISOString() + '\t' + copyEscape(propertiesJson(e.properties)) + '\t' +
    partition + '\t' + offset + '\n'
  );
}
