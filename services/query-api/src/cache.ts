import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { generationTtlSeconds, type AppRead, type CacheKeys, type ReadName } from '@fan/read-contract';

// One round trip: both generations and the answer cached under them. A generation that does not
// exist (never bumped, expired, or Redis emptied or restarted) is created from Redis's clock, never
// read as '0': after Redis lost its data, an answer a slow reader computed before and stores after
// would otherwise sit under ':0…' and be served until the next bump (the bump is time-based for the
// same reason: cache-invalidator/src/bump.ts).
const LOOKUP = `
local function gen(key)
  local g = redis.call('GET', key)
  if g then return g end
  local t = redis.call('TIME')
  g = string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
  redis.call('SET', key, g, 'EX', ARGV[2])
  return g
end
local g1 = gen(KEYS[1])
local g2 = '0'
if KEYS[2] then g2 = gen(KEYS[2]) end
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
  const genTtl = generationTtlSeconds(ttlSeconds);
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
        genTtl,
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
