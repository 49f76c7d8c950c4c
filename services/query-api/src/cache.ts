import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { AppRead, CacheKeys, ReadName } from '@fan/read-contract';

// One round trip: both generations and the answer cached under them.
const LOOKUP = `
local g1 = redis.call('GET', KEYS[1]) or '0'
local g2 = '0'
if KEYS[2] then g2 = redis.call('GET', KEYS[2]) or '0' end
local suffix = ':' .. g1 .. '.' .. g2
return {suffix, redis.call('GET', ARGV[1] .. suffix)}`;

export interface CacheLookup {
  /** The cached JSON answer, if any. */
  hit?: string;
  /** Where to store a freshly computed answer; undefined when Redis is unavailable. */
  store?: (json: string) => void;
}

export interface AnswerCache {
  lookup(read: ReadName, star: string, user: string, date: string, week: string): Promise<CacheLookup>;
  /** An app-wide answer (CONTRACT §5) for its parameters, under the read's generation. */
  lookupApp(read: AppRead, params: string): Promise<CacheLookup>;
}

/**
 * Redis in front of Postgres. Redis trouble is never the caller's: a failed lookup is a miss
 * answered from Postgres, and a failed store is dropped (logged once per failure burst).
 */
export function createAnswerCache(redis: Redis, keys: CacheKeys, ttlSeconds: number, logger: Logger): AnswerCache {
  // No numberOfKeys: the key count (1 or 2) is passed as the first argument of each call.
  redis.defineCommand('dashLookup', { lua: LOOKUP });
  let failing = false;
  const trouble = (err: Error) => {
    if (!failing) logger.warn({ err }, 'Redis unavailable; answering from Postgres');
    failing = true;
  };
  async function lookupKeys(genKeys: string[], base: string): Promise<CacheLookup> {
    let result: [string, string | null];
    try {
      result = await (redis as unknown as { dashLookup: (...a: unknown[]) => Promise<[string, string | null]> }).dashLookup(
        genKeys.length,
        ...genKeys,
        base,
      );
      failing = false;
    } catch (err) {
      trouble(err as Error);
      return {};
    }
    const [suffix, hit] = result;
    if (hit !== null) return { hit };
    return {
      store: (json) => {
        redis.set(base + suffix, json, 'EX', ttlSeconds).catch(trouble);
      },
    };
  }
  return {
    lookup(read, star, user, date, week) {
      const genKeys =
        read === 'today-overview' ? [keys.userGen(read, star, user), keys.starWeekGen(star, week)] : [keys.userGen(read, star, user)];
      return lookupKeys(genKeys, keys.answer(read, star, user, date));
    },
    lookupApp: (read, params) => lookupKeys([keys.appGen(read)], keys.appAnswer(read, params)),
  };
}
