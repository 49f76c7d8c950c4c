import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** A registry per process with Node's default metrics; tests build their own to stay isolated. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** What every consumer reports, with the same names and labels across processes. */
export function consumerMetrics(registry: Registry) {
  const labelNames = ['topic'] as const;
  return {
    consumed: new Counter({ name: 'pipeline_records_consumed_total', help: 'Records read from Kafka', labelNames, registers: [registry] }),
    applied: new Counter({
      name: 'pipeline_records_applied_total',
      help: 'Records made durable (stored or applied)',
      labelNames,
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'pipeline_records_deduplicated_total',
      help: 'Records skipped because their event_id was already applied',
      labelNames,
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'pipeline_records_dead_lettered_total',
      help: 'Records sent to the dead-letter topic',
      labelNames: ['topic', 'reason'] as const,
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'pipeline_batch_size',
      help: 'Records per applied batch',
      labelNames,
      buckets: [1, 10, 50, 100, 500, 1000, 2000, 5000, 10000],
      registers: [registry],
    }),
    applySeconds: new Histogram({
      name: 'pipeline_apply_seconds',
      help: 'Duration of one batch write (COPY and merge)',
      labelNames,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'pipeline_consumer_lag',
      help: 'High watermark minus next offset, per partition, at the last batch',
      labelNames: ['topic', 'partition'] as const,
      registers: [registry],
    }),
    recordAge: new Histogram({
      name: 'pipeline_record_age_seconds',
      help: 'Age (Kafka append time to applied) of the last record of each applied chunk: the freshness of this stage',
      labelNames,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    retries: new Counter({
      name: 'pipeline_apply_retries_total',
      help: 'Batch writes retried after a transient failure',
      labelNames,
      registers: [registry],
    }),
  };
}
export type ConsumerMetrics = ReturnType<typeof consumerMetrics>;
