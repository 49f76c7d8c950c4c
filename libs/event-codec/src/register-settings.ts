import { ownSettings, parseEnv, REGISTRY_SETTINGS } from '@fan/config';

type Env = Record<string, string | undefined>;

export interface RegisterSettings {
  registryUrl: string;
  /** How long a registry that is starting is waited for (REGISTER_WAIT_MS). */
  waitMs: number;
}

/**
 * The settings of `npm run schemas:register`, parsed once at its edge. A malformed value stops the
 * command with a ConfigError naming the variable: `Number('abc')` made the deadline NaN, and a
 * registry that never answered was then retried forever.
 */
export function registerSettings(env: Env = process.env): RegisterSettings {
  const e = { ...parseEnv(REGISTRY_SETTINGS, env), ...ownSettings('register-schemas', env) };
  return { registryUrl: e.SCHEMA_REGISTRY_URL.replace(/\/+$/, ''), waitMs: e.REGISTER_WAIT_MS };
}
