// What the aggregators, the cache invalidator and the query API agree on: the read names, which
// events change which reads, the change records, the Redis keys and the business week. Pure.
export { APP_READS, READS, type AppRead, type ReadName } from './reads';
export { ChangeSet, type AggregateChange, type AppChange } from './changes';
export { cacheKeys, type CacheKeys, type ReadsChanged } from './cache-keys';
export { weekStart } from './week';
