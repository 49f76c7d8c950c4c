import { createPool, postgresTime } from '@fan/db';
import { eventDecoding } from '@fan/event-codec';
import { retry } from '@fan/failures';
import { runConsumerProcess } from '@fan/kafka-runner';
import { loadConfig } from './config';
import { maintainPartitions } from './partitions';
import { copyToPartitions } from './steps/copy-to-partitions';

/** Raw sink: every event into its day partition of raw_events with COPY, de-duplicated on event_id. */
runConsumerProcess({
  name: 'raw-sink',
  loadConfig,
  setup: async ({ config, logger }) => {
    const pool = createPool(config.common.databaseUrl, config.pgPoolSize, config.common.pg, logger);
    const maintain = async () => {
      const r = await maintainPartitions(pool, {
        tz: config.common.businessTz,
        daysAhead: config.partitionDaysAhead,
        retentionDays: config.retentionDays,
        folders: config.folders,
      });
      if (r.created.length || r.expired.length || r.dropped.length) logger.info(r, 'raw_events partitions maintained');
      // An expired partition stays until every rebuildable aggregator folded it: one that is never
      // run keeps them on disk, and this says so.
      if (r.waiting > 0)
        logger.warn({ waiting: r.waiting, folders: config.folders }, 'expired raw partitions wait to be folded into history');
    };
    // Postgres may still be coming up: wait for it rather than crash-loop.
    await retry(maintain, {
      onRetry: (err, attempt, delayMs) => logger.warn({ err, attempt, delayMs }, 'partition maintenance failed at start-up; retrying'),
    });
    const timer = setInterval(
      () => maintain().catch((err: unknown) => logger.error({ err }, 'partition maintenance failed')),
      config.maintenanceIntervalMs,
    );
    const events = eventDecoding(config.common.registryUrl);
    return {
      decode: events.decode,
      apply: copyToPartitions(pool),
      health: { ...events.health, postgres: async () => void (await pool.query('SELECT 1')) },
      referenceTime: postgresTime(pool),
      close: async () => {
        clearInterval(timer);
        await pool.end();
      },
    };
  },
});
