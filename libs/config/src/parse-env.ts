import { z } from 'zod';

/** A setting is missing or malformed; the message names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Parses environment variables with a zod object whose keys are the variable names. Called once at
 * the edge of a process; everything below receives typed values.
 */
export function parseEnv<S extends z.ZodRawShape>(shape: S, env: Env = process.env): z.infer<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid settings:\n  ${lines.join('\n  ')}`);
  }
  return result.data;
}

export const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
export const str = (def: string) => z.string().min(1).default(def);
export const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Development defaults for secrets; outside development they must be set to something else. */
export const DEV_SECRETS = { JWT_SECRET: 'dev-secret', INGEST_TOKEN: 'dev-ingest-token' } as const;

/** Shortest secret accepted in production, per secret (CONTRACT §4: JWT_SECRET at least 32 bytes). */
const MIN_PRODUCTION_BYTES: Partial<Record<keyof typeof DEV_SECRETS, number>> = { JWT_SECRET: 32 };

/**
 * A secret from the environment. Empty is refused everywhere (an empty HMAC key lets anyone sign a
 * token). With NODE_ENV=production the development default does not apply: unset, the default
 * value, or shorter than the minimum stops the process with a message naming the variable.
 */
export function secret(name: keyof typeof DEV_SECRETS, env: Env = process.env): string {
  const production = env.NODE_ENV === 'production';
  const raw = env[name];
  if (raw !== undefined && raw.trim() === '') throw new ConfigError(`${name} is empty; set it to a secret value`);
  if (!production) return raw ?? DEV_SECRETS[name];
  if (raw === undefined) throw new ConfigError(`${name} must be set when NODE_ENV=production`);
  if (raw === DEV_SECRETS[name]) throw new ConfigError(`${name} must be set to a non-default value when NODE_ENV=production`);
  const min = MIN_PRODUCTION_BYTES[name];
  if (min !== undefined && Buffer.byteLength(raw) < min)
    throw new ConfigError(`${name} must be at least ${min} bytes when NODE_ENV=production (got ${Buffer.byteLength(raw)})`);
  return raw;
}
