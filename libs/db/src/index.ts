export * from './pool';
export * from './redis';
export * from './transaction';
