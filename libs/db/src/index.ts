export * from './pool';
export * from './raw-history';
export * from './redis';
export * from './transaction';
