import type { Response } from 'express';
import { Gauge, Counter, type Registry } from 'prom-client';
import type { ReadName, ReadsChanged } from '@fan/read-contract';

export interface ChangeHubOptions {
  /** Open streams this instance accepts; beyond it a new stream gets 503 (QUERY_STREAM_MAX). */
  maxStreams: number;
  /** A comment line this often keeps proxies from closing an idle stream (QUERY_STREAM_KEEPALIVE_MS). */
  keepAliveMs: number;
  metrics: Registry;
}

interface Stream {
  res: Response;
  star: string;
  user: string;
}

/**
 * The server-sent-event streams of one query API instance, by star. deliver() gets what the cache
 * invalidator announced (after bumping generations) and tells each open page of that (star, user)
 * which reads to refetch.
 */
export function createChangeHub(o: ChangeHubOptions) {
  const byStar = new Map<string, Set<Stream>>();
  let open = 0;
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
    help: 'Change streams refused because the instance was full',
    registers: [o.metrics],
  });
  const sent = new Counter({ name: 'query_stream_events_total', help: 'Change events sent to pages', registers: [o.metrics] });
  const keepAlive = setInterval(() => {
    for (const set of byStar.values()) for (const s of set) s.res.write(': keep-alive\n\n');
  }, o.keepAliveMs);
  keepAlive.unref();

  return {
    get open(): number {
      return open;
    },
    /** Takes over an authenticated request; false when full (the caller answers 503). */
    attach(res: Response, star: string, user: string, onClose: (cb: () => void) => void): boolean {
      if (open >= o.maxStreams) {
        refused.inc();
        return false;
      }
      res.status(200).set({
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
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
      onClose(() => {
        const s = byStar.get(star);
        if (s?.delete(stream)) open--;
        if (s?.size === 0) byStar.delete(star);
      });
      return true;
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
    /** Ends every stream (shutdown): pages reconnect to another instance. */
    close(): void {
      clearInterval(keepAlive);
      for (const set of byStar.values()) for (const s of set) s.res.end();
      byStar.clear();
      open = 0;
    },
  };
}
export type ChangeHub = ReturnType<typeof createChangeHub>;
