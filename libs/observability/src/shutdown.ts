import type { Logger } from 'pino';

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

/** Logs a fatal start-up error as one JSON line and exits 1. */
export function exitOnFatal(service: string) {
  return (err: Error) => {
    console.error(
      JSON.stringify({ level: 'fatal', service, msg: err.message, err: { type: err.name, message: err.message, stack: err.stack } }),
    );
    process.exit(1);
  };
}
