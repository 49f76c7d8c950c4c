import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { AVRO_SCHEMAS, EVENT_TYPES, recordFullName, type EventType } from '@fan/schemas';
import { AVRO_OPTIONS } from './avro-long';

export type { SchemaRegistry };

/** A registry client whose Avro types decode every long as bigint. */
export function createRegistry(url: string): SchemaRegistry {
  return new SchemaRegistry({ host: url, retry: { retries: 2, initialRetryTimeInSecs: 0.2 } }, {
    forSchemaOptions: AVRO_OPTIONS,
  } as never);
}

/** Registry subject of an event type (RecordNameStrategy: one subject per record, any topic). */
export const subjectOf = (type: EventType): string => recordFullName(type);

export class RegistryUnavailableError extends Error {
  readonly retriable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RegistryUnavailableError';
  }
}

async function putCompatibility(url: string, subject: string, level: string): Promise<void> {
  const res = await fetch(`${url}/config/${encodeURIComponent(subject)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility: level }),
  });
  if (!res.ok) throw new Error(`setting ${level} on ${subject} failed: HTTP ${res.status} ${await res.text()}`);
}

/**
 * Registers the seven schemas with BACKWARD compatibility and returns their ids. Idempotent:
 * registering an unchanged schema returns its existing id; an incompatible change is refused by the
 * registry and surfaces here as an error naming the subject.
 */
export async function registerSchemas(registry: SchemaRegistry, url: string): Promise<Record<EventType, number>> {
  const ids = {} as Record<EventType, number>;
  for (const type of EVENT_TYPES) {
    const subject = subjectOf(type);
    try {
      await putCompatibility(url, subject, 'BACKWARD');
      const { id } = await registry.register(
        { type: 'AVRO' as never, schema: JSON.stringify(AVRO_SCHEMAS[type]) },
        { subject },
      );
      ids[type] = id;
    } catch (err) {
      throw new RegistryUnavailableError(`registering ${subject} at ${url} failed: ${(err as Error).message}`, { cause: err });
    }
  }
  return ids;
}

/** Readiness of the registry for /healthz. */
export function registryHealthCheck(url: string): () => Promise<void> {
  return async () => {
    const res = await fetch(`${url}/subjects`);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  };
}
