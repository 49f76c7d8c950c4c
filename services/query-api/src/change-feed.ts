import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { ReadsChanged } from '@fan/read-contract';
import type { ChangeHub } from './change-hub';

/**
 * Subscribes to the invalidator's announcements (one Redis connection per instance) and hands them
 * to the hub. A message missed while Redis is away is made up by the pages, which refetch every
 * read when their stream reconnects.
 */
export async function followChangeFeed(redisUrl: string, channel: string, hub: ChangeHub, logger: Logger): Promise<() => void> {
  const sub = new Redis(redisUrl, { maxRetriesPerRequest: null });
  sub.on('error', (err) => logger.warn({ err }, 'change feed: Redis unavailable; live updates paused'));
  sub.on('message', (_channel: string, message: string) => {
    try {
      hub.deliver(JSON.parse(message) as ReadsChanged[]);
    } catch (err) {
      logger.warn({ err }, 'change feed: malformed announcement ignored');
    }
  });
  await sub.subscribe(channel);
  return () => sub.disconnect();
}
