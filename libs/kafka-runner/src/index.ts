// The consumer runtime's public surface: what services, benchmarks and the fault suite use. The
// loop's parts (batch loop, stalls, partition backoff, compression) stay inside.
export { runConsumerProcess, type ConsumerProcess, type ConsumerSteps } from './consumer-process';
export type { ReferenceTime } from './reference-clock';
export type { ApplyResult, ApplyStep, DecodeStep } from './batch-loop';
export { gatheredApply, type ApplyChunksStep } from './gather';
export { classifyError, faultLabel, type FaultKind } from './classify';
export { DLQ_HEADERS } from './dead-letter';
export { changesProducer, createKafka } from './kafka-client';
export { ensureTopics } from './topics-admin';
