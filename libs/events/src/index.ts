export * from './ids';
export * from './event';
export * from './validate';
export * from './registry';
export * from './codec';
export * from './topics';
export * from './business-time';
export { bigintLongType } from './avro-long';
