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

export function secret(name: keyof typeof DEV_SECRETS, env: Env = process.env): string {
  const value = env[name] ?? DEV_SECRETS[name];
  if (env.NODE_ENV === 'production' && value === DEV_SECRETS[name]) {
    throw new ConfigError(`${name} must be set to a non-default value when NODE_ENV=production`);
  }
  return value;
}
