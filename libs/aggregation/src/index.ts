export * from './reads';
export * from './changes';
export * from './exactly-once';
export * from './week';
export * from './apply-step';
export * from './config';
export * from './run-aggregator';
export * from './cache-keys';
