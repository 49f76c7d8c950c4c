import { isUtf8 } from 'node:buffer';
import avro, { type Type } from 'avsc';
import { AVRO_SCHEMAS, eventTypeOfRecord, type AnyType } from '@fan/schemas';
import { AVRO_OPTIONS } from './avro-long';
import type { SchemaRegistry } from './registry';
import { RegistryUnavailableError } from './registry';
import type { AnyEvent } from '@fan/events';
import { PoisonRecordError } from '@fan/failures';

interface Writer {
  /** This build's schema of the event type: what every record is read as. */
  reader: Type;
  /** Present when the writer's schema differs from the reader's (Avro schema resolution). */
  resolver: ReturnType<Type['createResolver']> | undefined;
  eventType: AnyType;
  /** The reader's string fields, as [field] or [record field, its field]. */
  strings: StringFields;
  /** The writer's schema with every string read as bytes: made the first time a check needs it. */
  schema: unknown;
  asBytes?: Type;
}

type StringPath = readonly [string] | readonly [string, string];
/** The string fields at the top and in the one nested record (`properties`), as plain arrays for the per-record check. */
interface StringFields {
  top: string[];
  record: string | undefined;
  inner: string[];
  all: StringPath[];
}

const isStringType = (t: unknown): boolean => t === 'string' || (Array.isArray(t) && t.includes('string'));

/** The string fields of an event schema (top level and its `properties` record), found once per type. */
function stringFields(schema: unknown): StringFields {
  const out: StringPath[] = [];
  for (const f of (schema as { fields: Array<{ name: string; type: unknown }> }).fields) {
    if (isStringType(f.type)) out.push([f.name]);
    else if (typeof f.type === 'object' && f.type !== null && (f.type as { type?: unknown }).type === 'record')
      for (const g of (f.type as { fields: Array<{ name: string; type: unknown }> }).fields)
        if (isStringType(g.type)) out.push([f.name, g.name]);
  }
  const nested = out.filter((p): p is readonly [string, string] => p.length === 2);
  if (new Set(nested.map((p) => p[0])).size > 1) throw new Error('an event schema has one nested record, properties');
  return { top: out.filter((p) => p.length === 1).map((p) => p[0]), record: nested[0]?.[0], inner: nested.map((p) => p[1]), all: out };
}

/** The schema with `string` made `bytes` wherever a type is named (names, docs and defaults kept). */
const bytesForStrings = (schema: unknown): unknown => {
  if (schema === 'string') return 'bytes';
  if (Array.isArray(schema)) return schema.map(bytesForStrings);
  if (typeof schema !== 'object' || schema === null) return schema;
  const o = { ...(schema as Record<string, unknown>) };
  for (const k of ['type', 'items', 'values'] as const) if (k in o) o[k] = bytesForStrings(o[k]);
  if (Array.isArray(o.fields)) o.fields = o.fields.map(bytesForStrings);
  return o;
};

/** Whether a string field holds U+FFFD (what avsc makes of bytes that are not UTF-8). */
function mayBeAltered(body: Record<string, unknown>, strings: StringFields): boolean {
  const { top, record, inner } = strings;
  for (let i = 0; i < top.length; i++) {
    const v = body[top[i]!];
    if (typeof v === 'string' && v.indexOf('\ufffd') !== -1) return true;
  }
  const r = record === undefined ? undefined : (body[record] as Record<string, unknown> | null | undefined);
  if (r)
    for (let i = 0; i < inner.length; i++) {
      const v = r[inner[i]!];
      if (typeof v === 'string' && v.indexOf('\ufffd') !== -1) return true;
    }
  return false;
}

const valueAt = (o: Record<string, unknown>, path: StringPath): unknown => {
  const v = o[path[0]];
  return path.length === 1 ? v : (v as Record<string, unknown> | null | undefined)?.[path[1]];
};

/**
 * Confluent wire format: magic byte 0, schema id (int32 BE), Avro body. Each record is read with
 * its writer's schema *into this build's schema* (Avro schema resolution), so that any change the
 * registry accepts as compatible — a field added with a default, inside `properties` too, fields
 * reordered — is applied: added fields are dropped, missing ones take their default. The resolver
 * of each schema id is built once, so the hot path is a Map lookup and an Avro decode.
 */
export function createDecoder(registry: SchemaRegistry) {
  const writers = new Map<number, Writer>();
  const readers = new Map<AnyType, Type>();
  const paths = new Map<AnyType, StringFields>();
  const stringPathsOf = (t: AnyType): StringFields => {
    let p = paths.get(t);
    if (!p) paths.set(t, (p = stringFields(AVRO_SCHEMAS[t])));
    return p;
  };
  const readerOf = (t: AnyType): Type => {
    let r = readers.get(t);
    if (!r) readers.set(t, (r = avro.Type.forSchema(AVRO_SCHEMAS[t] as never, { ...AVRO_OPTIONS } as never)));
    return r;
  };

  async function resolve(id: number): Promise<Writer> {
    let schema: Type;
    try {
      schema = (await registry.getSchema(id)) as unknown as Type;
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 404 || status === 422) throw new PoisonRecordError(`unknown schema id ${id}`);
      throw new RegistryUnavailableError(`schema registry unavailable resolving id ${id}: ${(err as Error).message}`, { cause: err });
    }
    const eventType = eventTypeOfRecord(schema.name ?? '');
    if (!eventType) throw new PoisonRecordError(`schema id ${id} is ${schema.name ?? 'anonymous'}, not a dashboard event`);
    const reader = readerOf(eventType);
    let resolver: Writer['resolver'];
    try {
      resolver = reader.equals(schema) ? undefined : reader.createResolver(schema);
    } catch (err) {
      throw new PoisonRecordError(
        `schema id ${id} (${schema.name}) cannot be read as this build's ${eventType}: ${(err as Error).message}`,
      );
    }
    const w: Writer = { reader, resolver, eventType, strings: stringPathsOf(eventType), schema: schema.schema() };
    writers.set(id, w);
    return w;
  }

  function decodeWith(w: Writer, id: number, value: Buffer): AnyEvent {
    let body: Record<string, unknown>;
    try {
      body = w.reader.fromBuffer(value.subarray(5), w.resolver) as Record<string, unknown>;
    } catch (err) {
      throw new PoisonRecordError(`not valid Avro for schema id ${id}: ${(err as Error).message}`);
    }
    if (mayBeAltered(body, w.strings)) checkUtf8(w, id, value);
    body.event_type = w.eventType;
    return body as unknown as AnyEvent;
  }

  /**
   * avsc turns bytes that are not UTF-8 into U+FFFD without a word, so two different ids (from a
   * Java producer, a hand-made record) could be stored as one. Only a string that holds U+FFFD can
   * have been altered: that rare record is read again, strings as bytes, and each is checked; a
   * well-formed U+FFFD stays accepted.
   */
  function checkUtf8(w: Writer, id: number, value: Buffer): void {
    w.asBytes ??= avro.Type.forSchema(bytesForStrings(w.schema) as never, { ...AVRO_OPTIONS } as never);
    const raw = w.asBytes.fromBuffer(value.subarray(5)) as Record<string, unknown>;
    for (const path of w.strings.all) {
      const b = valueAt(raw, path);
      if (Buffer.isBuffer(b) && !isUtf8(b)) throw new PoisonRecordError(`${path.join('.')} is not valid UTF-8 (schema id ${id})`);
    }
  }

  /**
   * Decodes one record value; throws PoisonRecordError or RegistryUnavailableError. Synchronous once
   * the schema id is known, so the hot path makes no promise per record; a promise only while the
   * writer schema is being fetched.
   */
  return function decode(value: Buffer | null): AnyEvent | Promise<AnyEvent> {
    if (!value || value.length < 6) throw new PoisonRecordError('value is shorter than the Confluent framing');
    if (value[0] !== 0) throw new PoisonRecordError(`magic byte is ${value[0]}, expected 0`);
    const id = value.readInt32BE(1);
    const w = writers.get(id);
    return w ? decodeWith(w, id, value) : resolve(id).then((r) => decodeWith(r, id, value));
  };
}
export type Decoder = ReturnType<typeof createDecoder>;

/**
 * Encodes events with the ids from registerSchemas; types are built once per event type, after
 * which encoding is synchronous (no promise per event on the publish path).
 */
export function createEncoder(registry: SchemaRegistry, ids: Record<AnyType, number>) {
  const types = new Map<AnyType, { type: Type; id: number }>();
  // Events are written one after another into a shared slab and handed out as views of it, each
  // after its 5-byte header: no Buffer and no copy per event (a scratch Buffer copied out cost two
  // native copies per event, avsc's toBuffer plus a concat two zeroed Buffers). A slab is freed once
  // Kafka has copied the last of its events into a request and they are dropped.
  const SLAB = 64 * 1024;
  let slab = Buffer.allocUnsafe(SLAB);
  let used = 0;
  const encodeWith = (t: { type: Type; id: number }, event: AnyEvent) => {
    for (;;) {
      if (slab.length - used >= 5) {
        const end = t.type.encode(event, slab, used + 5);
        if (end >= 0) {
          slab[used] = 0;
          slab.writeInt32BE(t.id, used + 1);
          const out = slab.subarray(used, end);
          used = end;
          return out;
        }
        // avsc answers how many bytes were missing: a larger event than the slab's rest.
        slab = Buffer.allocUnsafe(Math.max(SLAB, 2 * (slab.length - used - end)));
      } else slab = Buffer.allocUnsafe(SLAB);
      used = 0;
    }
  };
  async function load(eventType: AnyType) {
    const id = ids[eventType];
    const t = { type: (await registry.getSchema(id)) as unknown as Type, id };
    types.set(eventType, t);
    return t;
  }
  return function encode(event: AnyEvent): Buffer | Promise<Buffer> {
    const t = types.get(event.event_type);
    return t ? encodeWith(t, event) : load(event.event_type).then((l) => encodeWith(l, event));
  };
}
export type Encoder = ReturnType<typeof createEncoder>;
