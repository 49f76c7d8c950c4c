export * from './hosts';
export * from './pool';
export * from './raw-history';
export * from './redis';
export * from './server-time';
export * from './transaction';
