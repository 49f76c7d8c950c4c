import avro, { type Type } from 'avsc';
import { AVRO_SCHEMAS, eventTypeOfRecord, type AnyType } from '@fan/schemas';
import { AVRO_OPTIONS } from './avro-long';
import type { SchemaRegistry } from './registry';
import { RegistryUnavailableError } from './registry';
import type { AnyEvent } from '@fan/events';

/** A record that can never be decoded: it goes to the dead-letter topic, not back to retry. */
export class PoisonRecordError extends Error {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'PoisonRecordError';
  }
}

interface Writer {
  /** This build's schema of the event type: what every record is read as. */
  reader: Type;
  /** Present when the writer's schema differs from the reader's (Avro schema resolution). */
  resolver: ReturnType<Type['createResolver']> | undefined;
  eventType: AnyType;
}

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
    const w = { reader, resolver, eventType };
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
    body.event_type = w.eventType;
    return body as unknown as AnyEvent;
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
  const types = new Map<AnyType, { type: Type; header: Buffer }>();
  // Each event is written after its header in a reused scratch Buffer and copied out once (avsc's
  // toBuffer and a concat made two zeroed Buffers per event).
  let scratch = Buffer.allocUnsafe(16 * 1024);
  const encodeWith = (t: { type: Type; header: Buffer }, event: AnyEvent) => {
    let end = t.type.encode(event, scratch, 5);
    while (end < 0) {
      scratch = Buffer.allocUnsafe(2 * (scratch.length - end));
      end = t.type.encode(event, scratch, 5);
    }
    const out = Buffer.allocUnsafe(end);
    t.header.copy(out, 0);
    scratch.copy(out, 5, 5, end);
    return out;
  };
  async function load(eventType: AnyType) {
    const id = ids[eventType];
    const header = Buffer.alloc(5);
    header.writeInt32BE(id, 1);
    const t = { type: (await registry.getSchema(id)) as unknown as Type, header };
    types.set(eventType, t);
    return t;
  }
  return function encode(event: AnyEvent): Buffer | Promise<Buffer> {
    const t = types.get(event.event_type);
    return t ? encodeWith(t, event) : load(event.event_type).then((l) => encodeWith(l, event));
  };
}
export type Encoder = ReturnType<typeof createEncoder>;
