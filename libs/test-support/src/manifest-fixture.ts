import type { ProcessEntry } from '@fan/config';

/**
 * A consumer group that exists only in a test's manifest: what npm start's plan, the settings
 * table and the deployment checks must pick up (or report missing) from one entry.
 */
export const FUNNEL_GROUP: ProcessEntry = {
  name: 'funnel-aggregator',
  kind: 'consumer',
  summary: 'a group only the test manifest knows',
  envPrefix: 'FUNNEL_AGG',
  port: { variable: 'FUNNEL_AGG_HEALTH_PORT', default: 9199 },
  group: {
    id: 'funnel',
    topic: 'events',
    fromBeginning: true,
    reads: { batchMax: 700, batchWaitMs: 50, concurrency: 4, fetchMinBytes: 1024, fetchMaxBytesPerPartition: 4096 },
  },
  uses: ['kafka', 'postgres'],
  settings: {},
};
