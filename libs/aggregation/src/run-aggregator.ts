import { createPool, postgresTime } from '@fan/db';
import { eventDecoding } from '@fan/event-codec';
import { changesProducer, gatheredApply, runConsumerProcess } from '@fan/kafka-runner';
import { aggregatorApplyChunks, type AggregateRule } from './apply-step';
import type { AggregatorConfig } from './config';
import { pruneAppliedEvents } from './prune-applied';
import { foldExpiredRaw } from './rebuild';

/**
 * An aggregator process: the consumer process composition with the events decode step and the
 * exactly-once apply step around the rule's own store; hourly, old claims pruned and expired raw
 * partitions folded into history (so that the raw sink may drop them).
 */
export function runAggregator(rule: AggregateRule, loadConfig: () => AggregatorConfig): void {
  runConsumerProcess({
    name: rule.name,
    loadConfig,
    setup: async ({ config, logger, kafka }) => {
      const pool = createPool(config.common.databaseUrl, config.pgPoolSize, config.common.pg, logger);
      const producer = changesProducer(kafka);
      await producer.connect();
      const prune = () =>
        pruneAppliedEvents(pool, rule.name, config.appliedRetentionDays).then(
          (n) => n > 0 && logger.info({ pruned: n, retentionDays: config.appliedRetentionDays }, 'old exactly-once claims pruned'),
          (err: unknown) => logger.warn({ err }, 'pruning exactly-once claims failed; will retry next hour'),
        );
      const ctx = { tz: config.common.businessTz };
      const fold = () =>
        foldExpiredRaw(pool, rule, ctx).then(
          (r) => r.tables.length > 0 && logger.info(r, 'expired raw partitions folded into history'),
          (err: unknown) => logger.warn({ err }, 'folding expired raw partitions failed; will retry next hour'),
        );
      const hourly = () => void prune().then(fold);
      const pruneTimer = setInterval(hourly, 3_600_000);
      hourly();
      const events = eventDecoding(config.common.registryUrl);
      return {
        decode: events.decode,
        apply: gatheredApply(aggregatorApplyChunks({ rule, ctx, pool, producer, changesTopic: config.common.topics.changes }), {
          maxInFlight: config.applyInFlight,
          maxItems: 4 * config.consumer.maxChunk,
        }),
        health: { ...events.health, postgres: async () => void (await pool.query('SELECT 1')) },
        referenceTime: postgresTime(pool),
        close: async () => {
          clearInterval(pruneTimer);
          await producer.disconnect();
          await pool.end();
        },
      };
    },
  });
}
