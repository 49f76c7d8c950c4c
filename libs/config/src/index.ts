export * from './parse-env';
export * from './common';
