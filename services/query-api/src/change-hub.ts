import type { Response } from 'express';
import { Gauge, Counter, type Registry } from 'prom-client';
import { READS, type ReadName, type ReadsChanged } from '@fan/read-contract';

export interface ChangeHubOptions {
  /** Open streams this instance accepts; beyond it a new stream gets 503 (QUERY_STREAM_MAX). */
  maxStreams: number;
  /** Open streams of one user on this instance; beyond it a new one gets 429 (QUERY_STREAM_MAX_PER_USER, default 8). */
  maxStreamsPerUser?: number;
  /** A comment line this often keeps proxies from closing an idle stream (QUERY_STREAM_KEEPALIVE_MS). */
  keepAliveMs: number;
  metrics: Registry;
  /** Epoch ms of the tokens' clock (the real one), replaceable in tests. */
  now?: () => number;
}

interface Stream {
  res: Response;
  star: string;
  user: string;
  expiry?: NodeJS.Timeout;
}

/** Why attach() did not take the request: the instance is full (503) or this user is (429). */
export type AttachResult = 'attached' | 'instance-full' | 'user-full';

/** A user's tabs and devices on one instance; one user opening all 1,000 streams locked everyone else out. */
export const DEFAULT_STREAMS_PER_USER = 8;

/** setTimeout's longest delay (2^31 - 1 ms, ~24.8 days); a longer one would fire at once. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * The server-sent-event streams of one query API instance, by star. deliver() gets what the cache
 * invalidator announced (after bumping generations) and tells each open page of that (star, user)
 * which reads to refetch.
 */
export function createChangeHub(o: ChangeHubOptions) {
  const byStar = new Map<string, Set<Stream>>();
  const perUser = new Map<string, number>();
  let open = 0;
  const now = o.now ?? Date.now;
  const perUserMax = o.maxStreamsPerUser ?? DEFAULT_STREAMS_PER_USER;
  new Gauge({
    name: 'query_streams_open',
    help: 'Open change streams (server-sent events)',
    registers: [o.metrics],
    collect() {
      this.set(open);
    },
  });
  const refused = new Counter({
    name: 'query_streams_refused_total',
    help: 'Change streams refused because the instance (reason="instance") or the user (reason="user") had its maximum open',
    labelNames: ['reason'] as const,
    registers: [o.metrics],
  });
  const expired = new Counter({
    name: 'query_streams_expired_total',
    help: 'Change streams ended because their token expired',
    registers: [o.metrics],
  });
  const sent = new Counter({ name: 'query_stream_events_total', help: 'Change events sent to pages', registers: [o.metrics] });
  const resyncs = new Counter({
    name: 'query_stream_resyncs_total',
    help: 'Times every open page was told to refetch every read, because announcements may have been missed (the change feed reconnected)',
    registers: [o.metrics],
  });
  const everyRead = `event: changed\ndata: ${JSON.stringify({ reads: READS })}\n\n`;
  const keepAlive = setInterval(() => {
    for (const set of byStar.values()) for (const s of set) s.res.write(': keep-alive\n\n');
  }, o.keepAliveMs);
  keepAlive.unref();

  return {
    get open(): number {
      return open;
    },
    /**
     * Takes over an authenticated request, or says why not (the caller answers 503 or 429). The
     * stream ends at `expiresAt` (epoch ms, the token's end): a last `event: expired`, then the end,
     * so a page reconnects and learns with a 401 that it needs a new token; a stream never outlives
     * the token that opened it.
     */
    attach(res: Response, star: string, user: string, expiresAt: number, onClose: (cb: () => void) => void): AttachResult {
      if (open >= o.maxStreams) {
        refused.inc({ reason: 'instance' });
        return 'instance-full';
      }
      const mine = perUser.get(user) ?? 0;
      if (mine >= perUserMax) {
        refused.inc({ reason: 'user' });
        return 'user-full';
      }
      res.status(200).set({
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.flushHeaders();
      res.write('retry: 2000\n\nevent: ready\ndata: {}\n\n');
      const stream: Stream = { res, star, user };
      let set = byStar.get(star);
      if (!set) byStar.set(star, (set = new Set()));
      set.add(stream);
      open++;
      perUser.set(user, mine + 1);
      // Idempotent: runs on the client's hang-up and when the stream ends itself, whichever first,
      // so nothing is written to an ended response.
      const detach = (): void => {
        clearTimeout(stream.expiry);
        const s = byStar.get(star);
        if (s?.delete(stream)) {
          open--;
          const n = (perUser.get(user) ?? 1) - 1;
          if (n > 0) perUser.set(user, n);
          else perUser.delete(user);
        }
        if (s?.size === 0) byStar.delete(star);
      };
      const expire = (): void => {
        const left = expiresAt - now();
        if (left > 0) return void (stream.expiry = setTimeout(expire, Math.min(left, MAX_TIMEOUT_MS)));
        detach();
        expired.inc();
        res.end('event: expired\ndata: {"message":"token expired"}\n\n');
      };
      expire();
      onClose(detach);
      return 'attached';
    },
    deliver(changes: readonly ReadsChanged[]): void {
      const perStream = new Map<Stream, Set<ReadName>>();
      for (const c of changes) {
        for (const s of byStar.get(c.star) ?? []) {
          if (c.user !== null && c.user !== s.user) continue;
          let reads = perStream.get(s);
          if (!reads) perStream.set(s, (reads = new Set()));
          for (const r of c.reads) reads.add(r);
        }
      }
      for (const [s, reads] of perStream) {
        s.res.write(`event: changed\ndata: ${JSON.stringify({ reads: [...reads] })}\n\n`);
        sent.inc();
      }
    },
    /**
     * Every open page refetches every read: the change feed was away (Redis restarted or emptied)
     * and what was announced meanwhile is lost, while the pages' own streams stayed open.
     */
    resync(): void {
      for (const set of byStar.values()) for (const s of set) s.res.write(everyRead);
      resyncs.inc();
    },
    /** Ends every stream (shutdown): pages reconnect to another instance. */
    close(): void {
      clearInterval(keepAlive);
      for (const set of byStar.values())
        for (const s of set) {
          clearTimeout(s.expiry);
          s.res.end();
        }
      byStar.clear();
      perUser.clear();
      open = 0;
    },
  };
}
export type ChangeHub = ReturnType<typeof createChangeHub>;
