import pino, { type DestinationStream, type Logger } from 'pino';
import { createLogger } from './logger';

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits 0 (1 if stopping failed). A second signal
 * while stopping exits at once, for the operator who really means it.
 */
export function onShutdown(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handle = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal while stopping; exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: Error) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => handle('SIGTERM'));
  process.on('SIGINT', () => handle('SIGINT'));
}

/**
 * Logs a fatal start-up error as one line on stderr and exits 1. The line is written by the
 * service's own logger (createLogger), so it has the shape of every other line: numeric `level` 60,
 * `time`, `service`, `name`, `msg` and `err` through pino's serializer. A hand-made line with
 * `level: "fatal"` and no `time` was dropped by a shipper filtering `level >= 50`: exactly the
 * start-up failures. Synchronous, so the line is out before process.exit.
 */
export function exitOnFatal(service: string, destination?: DestinationStream) {
  return (reason: unknown) => {
    const err = reason instanceof Error ? reason : new Error(String(reason));
    createLogger(service, 'info', destination ?? pino.destination({ fd: 2, sync: true })).fatal({ err }, err.message);
    process.exit(1);
  };
}
