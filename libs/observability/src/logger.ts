import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout; one child per component (`logger.child({ component })`), made once. */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
