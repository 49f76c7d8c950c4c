import type { AvroRecordSchema } from './index';

/**
 * Renders the TypeScript types of the events from their Avro schemas, so the two cannot drift:
 * `npm run schemas:types` writes libs/events/src/generated/event-types.ts, and a unit test fails
 * when the committed file is not what the schemas render. Avro long → bigint (ids exceed 2^53).
 * Type aliases rather than interfaces: properties must stay assignable to Record<string, unknown>.
 */
type Field = { name: string; type: unknown; doc?: string };

/** The two families: dashboard events (per star and user) and app activity (per install/identity). */
const FAMILIES = [
  {
    base: 'EventBase',
    map: 'PropertiesByType',
    common: ['event_id', 'user_id', 'star_id', 'occurred_at'],
    doc: 'Fields every dashboard event carries.',
  },
  {
    base: 'ActivityBase',
    map: 'ActivityPropertiesByType',
    common: ['event_id', 'install_id', 'user_id', 'occurred_at'],
    doc: 'Fields every app activity event carries.',
  },
] as const;

function tsType(t: unknown, where: string): string {
  if (t === 'long') return 'bigint';
  if (t === 'string') return 'string';
  if (t === 'int' || t === 'double' || t === 'float') return 'number';
  if (t === 'boolean') return 'boolean';
  if (Array.isArray(t)) return t.map((x) => (x === 'null' ? 'null' : tsType(x, where))).join(' | ');
  if (typeof t === 'object' && t !== null && (t as { type?: unknown }).type === 'long') return 'bigint';
  throw new Error(`${where}: Avro type ${JSON.stringify(t)} has no TypeScript rendering here`);
}

function renderFamily(schemas: Readonly<Record<string, AvroRecordSchema>>, types: string[], fam: (typeof FAMILIES)[number]): string[] {
  const first = schemas[types[0]!]!;
  const common = (first.fields as Field[]).filter((f) => (fam.common as readonly string[]).includes(f.name));
  const out: string[] = [
    `/** ${fam.doc} */`,
    `export type ${fam.base} = {`,
    ...common.map((f) => `${f.doc ? `  /** ${f.doc} */\n` : ''}  ${f.name}: ${tsType(f.type, `${first.name}.${f.name}`)};`),
    '};',
    '',
  ];
  const byType: string[] = [];
  for (const type of types) {
    const s = schemas[type]!;
    const fields = s.fields as Field[];
    for (const name of fam.common) {
      const mine = fields.find((f) => f.name === name);
      const theirs = common.find((f) => f.name === name);
      if (!mine || JSON.stringify(mine.type) !== JSON.stringify(theirs?.type))
        throw new Error(`${s.name}.${name} differs from the common fields`);
    }
    const props = fields.find((f) => f.name === 'properties')?.type as { name: string; fields: Field[] } | undefined;
    if (!props) throw new Error(`${s.name} has no properties record`);
    if (props.fields.length === 0) out.push(`export type ${props.name} = Record<string, never>;`, '');
    else {
      out.push(`export type ${props.name} = {`);
      for (const f of props.fields)
        out.push(`${f.doc ? `  /** ${f.doc} */\n` : ''}  ${f.name}: ${tsType(f.type, `${props.name}.${f.name}`)};`);
      out.push('};', '');
    }
    byType.push(`  '${type}': ${props.name};`);
  }
  out.push('/** The properties record of each event type. */', `export type ${fam.map} = {`, ...byType, '};', '');
  return out;
}

export function renderEventTypes(schemas: Readonly<Record<string, AvroRecordSchema>>): string {
  const types = Object.keys(schemas);
  const hasField = (t: string, name: string) => (schemas[t]!.fields as Field[]).some((f) => f.name === name);
  const dashboard = types.filter((t) => hasField(t, 'star_id') || !hasField(t, 'install_id'));
  const activity = types.filter((t) => !dashboard.includes(t));
  return [
    '// Generated from schemas/avro/*.avsc by `npm run schemas:types`. Do not edit.',
    '',
    ...renderFamily(schemas, dashboard, FAMILIES[0]),
    ...(activity.length ? renderFamily(schemas, activity, FAMILIES[1]) : []),
  ].join('\n');
}
