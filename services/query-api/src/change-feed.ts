import type { RedisBounds } from '@fan/config';
import { createRedis } from '@fan/db';
import type { Logger } from 'pino';
import type { ReadsChanged } from '@fan/read-contract';
import type { ChangeHub } from './change-hub';

/**
 * Subscribes to the invalidator's announcements (one Redis connection per instance) and hands them
 * to the hub. A message missed while Redis is away is made up by the pages, which refetch every
 * read when their stream reconnects.
 */
export async function followChangeFeed(
  redisUrl: string,
  bounds: RedisBounds,
  channel: string,
  hub: ChangeHub,
  logger: Logger,
): Promise<() => void> {
  const sub = createRedis(redisUrl, 'subscriber', bounds);
  sub.on('error', (err) => logger.warn({ err }, 'change feed: Redis unavailable; live updates paused'));
  sub.on('message', (_channel: string, message: string) => {
    try {
      hub.deliver(JSON.parse(message) as ReadsChanged[]);
    } catch (err) {
      logger.warn({ err }, 'change feed: malformed announcement ignored');
    }
  });
  // Live updates must not hold the reads back: with Redis away at start-up the API starts and
  // answers from Postgres, and the subscription is made once Redis answers (ioredis subscribes
  // again after every reconnect). Waiting only until Redis either took the subscription or refused
  // the connection keeps a start with Redis up exactly as before: subscribed when listening.
  const subscribed = sub.subscribe(channel).then(() => logger.info({ channel }, 'change feed: subscribed'));
  subscribed.catch((err: unknown) => logger.warn({ err }, 'change feed: subscribe failed'));
  let refused: (() => void) | undefined;
  await Promise.race([subscribed, new Promise<void>((resolve) => sub.once('error', (refused = resolve)))]).catch(() => undefined);
  if (refused) sub.off('error', refused);
  return () => sub.disconnect();
}
