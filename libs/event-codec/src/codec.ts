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
