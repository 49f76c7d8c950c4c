import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import { registerCompressionCodecs } from './compression';

/** kafkajs with its logs routed into the process logger (one JSON stream per process). */
export function createKafka(clientId: string, brokers: string[], logger: Logger): Kafka {
  registerCompressionCodecs();
  const log = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers,
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
