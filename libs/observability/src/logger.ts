import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs on stdout; one child per component (`logger.child({ component })`), made once. Errors
 * go under `err` as objects (type, message, stack, cause), never as their message alone.
 */
export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  const options = {
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: pino.stdSerializers.err },
  };
  return destination ? pino(options, destination) : pino(options);
}
