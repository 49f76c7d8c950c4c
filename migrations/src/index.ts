export * from './migrate';
export * from './database';
