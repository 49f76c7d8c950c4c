import type { RedisBounds } from '@fan/config';
import { createRedis } from '@fan/db';
import type { Logger } from 'pino';
import type { ReadsChanged } from '@fan/read-contract';
import type { ChangeHub } from './change-hub';

/**
 * Subscribes to the invalidator's announcements (one Redis connection per instance) and hands them
 * to the hub. What was announced while Redis was away is lost: once the subscription is back after
 * a reconnect, every open page is told to refetch every read (the hub's resync), since the pages'
 * own streams to this instance never broke.
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
  // A connection that closed (also one that never opened: Redis away at start-up) may have missed
  // announcements.
  let broken = false;
  sub.on('close', () => (broken = true));
  sub.on('ready', () => {
    if (!broken) return;
    broken = false;
    // ioredis subscribes again on 'ready'; this SUBSCRIBE is answered after its, so the resync
    // comes once announcements flow again, never before.
    sub.subscribe(channel).then(
      () => {
        hub.resync();
        logger.info({ channel }, 'change feed: subscribed again; every open page refetches');
      },
      (err: unknown) => logger.warn({ err }, 'change feed: subscribe after reconnect failed'),
    );
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
