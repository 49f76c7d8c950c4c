import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { ALL_TYPES, AVRO_SCHEMAS, recordFullName, type AnyType } from '@fan/schemas';
import { AVRO_OPTIONS } from './avro-long';

export type { SchemaRegistry };

/** The command that registers the project's schemas (README, deploy Job). */
export const REGISTER_COMMAND = 'npm run schemas:register';
export const COMPATIBILITY = 'BACKWARD';

/**
 * A registry address split into what may be shown (no user info) and the credentials. Node's fetch
 * refuses URLs with credentials, and an address with a password must never reach a log, an error
 * or /healthz.
 */
export interface RegistryEndpoint {
  url: string;
  auth?: { username: string; password: string };
}

export function registryEndpoint(raw: string): RegistryEndpoint {
  const u = new URL(raw);
  const auth = u.username ? { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } : undefined;
  u.username = '';
  u.password = '';
  return { url: u.toString().replace(/\/+$/, ''), ...(auth ? { auth } : {}) };
}

/** A registry client whose Avro types decode every long as bigint. */
export function createRegistry(rawUrl: string): SchemaRegistry {
  const { url, auth } = registryEndpoint(rawUrl);
  return new SchemaRegistry({ host: url, ...(auth ? { auth } : {}), retry: { retries: 2, initialRetryTimeInSecs: 0.2 } }, {
    forSchemaOptions: AVRO_OPTIONS,
  } as never);
}

/** Registry subject of an event type (RecordNameStrategy: one subject per record, any topic). */
export const subjectOf = (type: AnyType): string => recordFullName(type);

/** The registry did not answer (or answered 5xx): worth retrying. */
export class RegistryUnavailableError extends Error {
  readonly fault = 'transient';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RegistryUnavailableError';
  }
}

/** A subject the process needs is not registered (or holds another schema): an operator's step is missing. */
export class SchemaMissingError extends Error {
  readonly fault = 'fatal';
  constructor(
    readonly subject: string,
    detail: string,
  ) {
    super(`schema subject ${subject} is not registered as this build expects (${detail}); run \`${REGISTER_COMMAND}\` first`);
    this.name = 'SchemaMissingError';
  }
}

/** The registry refused what was asked (incompatible change, bad request): not worth retrying. */
export class RegistryRefusedError extends Error {
  readonly fault = 'fatal';
  constructor(message: string) {
    super(message);
    this.name = 'RegistryRefusedError';
  }
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

async function call(ep: RegistryEndpoint, method: string, path: string, body?: unknown): Promise<Reply> {
  const headers: Record<string, string> = { accept: 'application/vnd.schemaregistry.v1+json, application/json' };
  if (body !== undefined) headers['content-type'] = 'application/vnd.schemaregistry.v1+json';
  if (ep.auth) headers.authorization = `Basic ${Buffer.from(`${ep.auth.username}:${ep.auth.password}`).toString('base64')}`;
  let res: Response;
  try {
    res = await fetch(`${ep.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new RegistryUnavailableError(
      `schema registry at ${ep.url} unreachable: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`,
    );
  }
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    /* not JSON: the text is kept for the message */
  }
  if (res.status >= 500)
    throw new RegistryUnavailableError(
      `schema registry at ${ep.url} answered ${method} ${path} with HTTP ${res.status}: ${text.slice(0, 200)}`,
    );
  return { status: res.status, body: parsed, text: text.slice(0, 300) };
}

const schemaBody = (type: AnyType) => ({ schema: JSON.stringify(AVRO_SCHEMAS[type]), schemaType: 'AVRO' });

/** The id of this build's schema under its subject, or undefined when the registry does not hold it. */
async function lookup(ep: RegistryEndpoint, type: AnyType): Promise<{ id?: number; detail: string }> {
  const subject = subjectOf(type);
  const r = await call(ep, 'POST', `/subjects/${encodeURIComponent(subject)}`, schemaBody(type));
  if (r.status === 200 && typeof r.body.id === 'number') return { id: r.body.id, detail: 'found' };
  if (r.status === 404) return { detail: `HTTP 404: ${r.text}` };
  throw new RegistryRefusedError(`looking up ${subject} at ${ep.url} failed: HTTP ${r.status} ${r.text}`);
}

async function ensureCompatibility(ep: RegistryEndpoint, subject: string): Promise<void> {
  const path = `/config/${encodeURIComponent(subject)}`;
  const current = await call(ep, 'GET', path);
  const level = current.body.compatibilityLevel ?? current.body.compatibility;
  if (current.status === 200 && level === COMPATIBILITY) return;
  const put = await call(ep, 'PUT', path, { compatibility: COMPATIBILITY });
  if (put.status === 200) return;
  // Another process set the rule between our GET and PUT (Apicurio: 409 "A rule named
  // 'COMPATIBILITY' already exists."): fine when the rule it set is ours.
  if (put.status === 409) {
    const again = await call(ep, 'GET', path);
    if ((again.body.compatibilityLevel ?? again.body.compatibility) === COMPATIBILITY) return;
    const retry = await call(ep, 'PUT', path, { compatibility: COMPATIBILITY });
    if (retry.status === 200) return;
  }
  throw new RegistryRefusedError(
    `setting ${COMPATIBILITY} compatibility on ${subject} at ${ep.url} failed: HTTP ${put.status} ${put.text}`,
  );
}

async function registerOne(ep: RegistryEndpoint, type: AnyType): Promise<number> {
  const subject = subjectOf(type);
  await ensureCompatibility(ep, subject);
  const known = await lookup(ep, type);
  if (known.id !== undefined) return known.id;
  const r = await call(ep, 'POST', `/subjects/${encodeURIComponent(subject)}/versions`, schemaBody(type));
  if (r.status === 200 && typeof r.body.id === 'number') return r.body.id;
  // A concurrent writer created the subject or version first: what it wrote is this schema.
  if (r.status === 409) {
    const after = await lookup(ep, type);
    if (after.id !== undefined) return after.id;
  }
  throw new RegistryRefusedError(`registering ${subject} at ${ep.url} failed: HTTP ${r.status} ${r.text}`);
}

/**
 * Registers every schema (seven dashboard events, three app activity events) with BACKWARD compatibility and returns their ids. Idempotent and
 * safe to run from several processes at once: an unchanged schema returns its existing id, and an
 * "already exists" from a concurrent writer counts as success. An incompatible change is refused by
 * the registry and surfaces as RegistryRefusedError naming the subject.
 */
export async function registerSchemas(rawUrl: string): Promise<Record<AnyType, number>> {
  const ep = registryEndpoint(rawUrl);
  const ids = {} as Record<AnyType, number>;
  for (const type of ALL_TYPES) ids[type] = await registerOne(ep, type);
  return ids;
}

/**
 * The ids of this build's schemas, for a producer. Never registers: a subject that is missing stops
 * the caller with SchemaMissingError, which names the subject and the command to run.
 */
export async function lookupSchemaIds(rawUrl: string): Promise<Record<AnyType, number>> {
  const ep = registryEndpoint(rawUrl);
  const ids = {} as Record<AnyType, number>;
  for (const type of ALL_TYPES) {
    const r = await lookup(ep, type);
    if (r.id === undefined) throw new SchemaMissingError(subjectOf(type), r.detail);
    ids[type] = r.id;
  }
  return ids;
}

/** Readiness of the registry for /healthz; the error never shows credentials. */
export function registryHealthCheck(rawUrl: string): () => Promise<void> {
  const ep = registryEndpoint(rawUrl);
  return async () => {
    const r = await call(ep, 'GET', '/subjects');
    if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
  };
}
