import { Counter } from 'prom-client';
import { consumerProcessConfig } from '@fan/config';
import { runConsumerProcess } from '@fan/kafka-runner';
import { deadLetterLabel, type DeadLetterLabel } from './reason';

/**
 * Dead-letter counter: reads the dead-letter topic and counts its records by origin topic and
 * reason (`pipeline_dead_letters_total`), the pipeline-wide view whoever wrote them. Holds no
 * state: a restart starts the counter again from zero, which Prometheus's rate() expects.
 */
runConsumerProcess<DeadLetterLabel, ReturnType<typeof consumerProcessConfig>>({
  name: 'dlq-counter',
  loadConfig: () => consumerProcessConfig('dlq-counter'),
  setup: async ({ metrics }) => {
    const counted = new Counter({
      name: 'pipeline_dead_letters_total',
      help: 'Records on the dead-letter topic by origin topic and reason class, counted as they arrive',
      labelNames: ['origin', 'reason'] as const,
      registers: [metrics],
    });
    return {
      decode: deadLetterLabel,
      apply: async (labels) => {
        for (const l of labels) counted.inc({ origin: l.origin, reason: l.reason });
        return { applied: labels.length, duplicates: 0 };
      },
    };
  },
});
