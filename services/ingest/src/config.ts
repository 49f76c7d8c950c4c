import { commonConfig, ownSettings, secret, type CommonConfig } from '@fan/config';

export interface IngestConfig {
  common: CommonConfig;
  port: number;
  token: string;
  /** Time allowed for Kafka to acknowledge a request's events before answering 503. */
  ackTimeoutMs: number;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): IngestConfig {
  const e = ownSettings('ingest', env);
  return { common: commonConfig(env), port: e.INGEST_PORT, token: secret('INGEST_TOKEN', env), ackTimeoutMs: e.INGEST_ACK_TIMEOUT_MS };
}
