import { KAFKA_SETTINGS } from './common-settings';
import { ConfigError, parseEnv } from './parse-env';

type Env = Record<string, string | undefined>;

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** How clients authenticate to Kafka and encrypt the connection; empty for a plain local broker. */
export interface KafkaSecurity {
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
  /** TLS to the brokers; `caFile` (PEM) replaces the system CAs, for a private CA. */
  ssl?: { caFile?: string; rejectUnauthorized: boolean };
}

/**
 * KAFKA_SASL_MECHANISM (plain, scram-sha-256, scram-sha-512) with KAFKA_SASL_USERNAME and
 * KAFKA_SASL_PASSWORD; KAFKA_SSL=true with optional KAFKA_SSL_CA_FILE and
 * KAFKA_SSL_REJECT_UNAUTHORIZED (true).
 */
export function kafkaSecurity(env: Env = process.env): KafkaSecurity {
  const k = KAFKA_SETTINGS;
  const e = parseEnv(
    {
      KAFKA_SASL_MECHANISM: k.KAFKA_SASL_MECHANISM,
      KAFKA_SASL_USERNAME: k.KAFKA_SASL_USERNAME,
      KAFKA_SASL_PASSWORD: k.KAFKA_SASL_PASSWORD,
      KAFKA_SSL: k.KAFKA_SSL,
      KAFKA_SSL_CA_FILE: k.KAFKA_SSL_CA_FILE,
      KAFKA_SSL_REJECT_UNAUTHORIZED: k.KAFKA_SSL_REJECT_UNAUTHORIZED,
    },
    env,
  );
  const out: KafkaSecurity = {};
  if (e.KAFKA_SASL_MECHANISM) {
    if (!e.KAFKA_SASL_USERNAME || !e.KAFKA_SASL_PASSWORD) {
      throw new ConfigError('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required with KAFKA_SASL_MECHANISM');
    }
    out.sasl = { mechanism: e.KAFKA_SASL_MECHANISM, username: e.KAFKA_SASL_USERNAME, password: e.KAFKA_SASL_PASSWORD };
  } else if (e.KAFKA_SASL_USERNAME || e.KAFKA_SASL_PASSWORD) {
    throw new ConfigError('KAFKA_SASL_MECHANISM (plain, scram-sha-256 or scram-sha-512) is required with KAFKA_SASL_USERNAME/PASSWORD');
  }
  if (e.KAFKA_SSL)
    out.ssl = { ...(e.KAFKA_SSL_CA_FILE ? { caFile: e.KAFKA_SSL_CA_FILE } : {}), rejectUnauthorized: e.KAFKA_SSL_REJECT_UNAUTHORIZED };
  else if (e.KAFKA_SSL_CA_FILE) throw new ConfigError('KAFKA_SSL_CA_FILE is set but KAFKA_SSL is not true');
  return out;
}
