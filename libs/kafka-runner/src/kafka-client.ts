import { readFileSync } from 'node:fs';
import { Kafka, Partitioners, logLevel, type KafkaConfig, type LogEntry, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaSecurity } from '@fan/config';
import { registerCompressionCodecs } from './compression';

/** kafkajs connection options for SASL (PLAIN, SCRAM) and TLS; the CA file is read here, once. */
function securityOptions(s: KafkaSecurity): Pick<KafkaConfig, 'sasl' | 'ssl'> {
  return {
    ...(s.sasl ? { sasl: s.sasl as KafkaConfig['sasl'] } : {}),
    ...(s.ssl
      ? { ssl: { rejectUnauthorized: s.ssl.rejectUnauthorized, ...(s.ssl.caFile ? { ca: [readFileSync(s.ssl.caFile, 'utf8')] } : {}) } }
      : {}),
  };
}

/** kafkajs with its logs routed into the process logger (one JSON stream per process). */
export function createKafka(clientId: string, brokers: string[], logger: Logger, security: KafkaSecurity = {}): Kafka {
  registerCompressionCodecs();
  const log = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers,
    ...securityOptions(security),
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 8 },
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        // Deliberate: retries are bounded so that an outage reaches the caller (ingest answers 503,
        // the tracker backs off); a re-sent record is absorbed downstream by its event_id.
        if (message.startsWith('Limiting retries for the idempotent producer')) return;
        if (level <= logLevel.ERROR) log.error(rest, message);
        else if (level === logLevel.WARN) log.warn(rest, message);
        else log.debug(rest, message);
      },
  });
}

/**
 * The producer for change records (cache invalidations). Not idempotent and not limited to one
 * request in flight, so that the chunks of several partitions send their changes side by side:
 * one in-flight request shared by 12 partitions made each chunk wait for the others' round trips
 * (up to 12 per fetch cycle, and the next fetch waits for the slowest chunk). Safe because what
 * a change record does is commutative and repeatable: bumping a read's generation twice, or in
 * another order, leaves the same cache state (a key is never served from an old generation).
 * Still acks=all per send: a chunk's offset is committed only after its changes are durable.
 */
export function changesProducer(kafka: Kafka): Producer {
  return kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
}
