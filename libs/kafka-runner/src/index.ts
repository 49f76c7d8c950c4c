export * from './retry';
export * from './dead-letter';
export * from './batch-loop';
export * from './consumer';
export * from './kafka-client';
export * from './classify';
export * from './stalls';
export * from './compression';
