// What the aggregators, the cache invalidator, the query API and the page agree on: the read
// names, the change records, the Redis keys and the business week. Pure. (Which events change
// which reads is each aggregator's own declaration in the process manifest, libs/config.)
export { APP_READS, READS, type AppRead, type ReadName } from './reads';
export { ChangeSet, type AggregateChange, type AppChange } from './changes';
export { cacheKeys, generationTtlSeconds, type CacheKeys, type ReadsChanged } from './cache-keys';
export { weekStart } from './week';
