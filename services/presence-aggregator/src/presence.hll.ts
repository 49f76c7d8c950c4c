import type Redis from 'ioredis';
import type { CacheKeys } from '@fan/read-contract';
import type { PresenceRows } from './presence.fold';

/** Daily HyperLogLogs are kept this long (DAU can be asked for any of the last 92 days). */
const KEEP_SECONDS = 400 * 86_400;

/**
 * PRESENCE_DAU_MODE=hll: the day's and each place's identities go into Redis HyperLogLogs (PFADD,
 * 12 KB per key, ~0.81 % standard error) instead of Postgres rows. PFADD of an identity already
 * counted changes nothing, so repeats and any arrival order give the same estimate. One pipeline
 * per chunk.
 */
export function hllWriter(redis: Redis, keys: CacheKeys) {
  return async (rows: PresenceRows): Promise<void> => {
    if (rows.active.size === 0) return;
    const byKey = new Map<string, string[]>();
    const add = (key: string, identity: string) => {
      let ids = byKey.get(key);
      if (!ids) byKey.set(key, (ids = []));
      ids.push(identity);
    };
    const places = new Map<string, Set<string>>();
    for (const a of rows.active.values()) add(keys.hllDau(a.day), a.identity);
    for (const g of rows.geo.values()) {
      add(keys.hllPlace(g.day, g.kind, g.name), g.identity);
      const set = keys.hllPlaces(g.day, g.kind);
      let names = places.get(set);
      if (!names) places.set(set, (names = new Set()));
      names.add(g.name);
    }
    const pipe = redis.pipeline();
    for (const [key, ids] of byKey) pipe.pfadd(key, ...ids).expire(key, KEEP_SECONDS);
    for (const [key, names] of places) pipe.sadd(key, ...names).expire(key, KEEP_SECONDS);
    const results = await pipe.exec();
    const failed = results?.find(([err]) => err);
    if (failed) throw failed[0];
  };
}
