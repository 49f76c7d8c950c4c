import type Redis from 'ioredis';

/**
 * Bumps generations to "now" in milliseconds (or old + 1 if that is not larger), with an expiry.
 * Time-based rather than INCR: after an idle generation expires and restarts from 0, its next bump
 * is still larger than every earlier value, so an answer cached under an old generation can never
 * match again.
 */
const BUMP = `
local now = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local g = tonumber(redis.call('GET', key) or '0')
  local v = now
  if v <= g then v = g + 1 end
  redis.call('SET', key, v, 'EX', ARGV[2])
end
return #KEYS`;

export function createBumper(redis: Redis, ttlSeconds: number) {
  redis.defineCommand('dashBump', { lua: BUMP });
  const bump = (redis as unknown as { dashBump: (...a: unknown[]) => Promise<number> }).dashBump.bind(redis);
  return async (keys: readonly string[]): Promise<void> => {
    // Bounded script size: a huge batch is bumped in slices.
    for (let i = 0; i < keys.length; i += 500) {
      const slice = keys.slice(i, i + 500);
      await bump(slice.length, ...slice, Date.now(), ttlSeconds);
    }
  };
}
