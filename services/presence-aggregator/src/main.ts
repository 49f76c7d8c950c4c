import { createPool, createRedis, postgresTime } from '@fan/db';
import { createDecoder, createRegistry, decodeActivityStep, registryHealthCheck } from '@fan/event-codec';
import { changesProducer, runConsumerProcess } from '@fan/kafka-runner';
import { cacheKeys } from '@fan/read-contract';
import { loadConfig } from './config';
import { presenceApplyStep } from './presence.apply';
import { hllWriter } from './presence.hll';

/** Presence aggregator: app activity → daily active identities (with provinces and cities) and online history. */
runConsumerProcess({
  name: 'presence-aggregator',
  loadConfig,
  setup: async ({ config, logger, kafka }) => {
    const pool = createPool(config.common.databaseUrl, config.pgPoolSize, config.common.pg, logger);
    const producer = changesProducer(kafka);
    await producer.connect();
    const announce = async (reads: string[]) =>
      void (await producer.send({
        topic: config.common.topics.changes,
        acks: -1,
        messages: [{ key: 'app', value: JSON.stringify({ app_reads: reads }) }],
      }));
    const redis = config.common.presenceDauMode === 'hll' ? createRedis(config.common.redisUrl, 'worker', config.common.redis) : undefined;
    redis?.on('error', () => undefined); // surfaces as a retried chunk
    const hll = redis ? hllWriter(redis, cacheKeys(config.common.cache.prefix)) : undefined;
    logger.info({ dauMode: config.common.presenceDauMode }, 'daily active identities counted');
    return {
      decode: decodeActivityStep(createDecoder(createRegistry(config.common.registryUrl))),
      apply: presenceApplyStep(pool, config.common.businessTz, announce, hll),
      health: { registry: registryHealthCheck(config.common.registryUrl), postgres: async () => void (await pool.query('SELECT 1')) },
      referenceTime: postgresTime(pool),
      close: async () => {
        await producer.disconnect();
        redis?.disconnect();
        await pool.end();
      },
    };
  },
});
