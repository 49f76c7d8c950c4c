// What a failure means (transient, poison, fatal) and the one retry with backoff. Pure.
export { declaredFault, PoisonRecordError, StopRequestedError, type Fault } from './fault';
export { backoffDelay, retry, type RetryOptions } from './retry';
