export * from './parse-env';
export * from './common';
export * from './kafka-security';
