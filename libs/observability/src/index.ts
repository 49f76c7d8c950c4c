export * from './logger';
export * from './health-server';
export * from './consumer-metrics';
export * from './shutdown';
export * from './progress';
export * from './progress-output';
