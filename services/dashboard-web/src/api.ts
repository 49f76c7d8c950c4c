import type { AppActivity, ReadData, ReadName } from './reads';
import { nextRetry, parseSse, RETRY } from './sse';

/** The token was refused (401): the page asks to sign in again, with the server's reason. */
export class Unauthorized extends Error {}

export interface Session {
  token: string;
  star: string;
}

async function getJson<T>(s: Session, path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { authorization: `Bearer ${s.token}` }, signal });
  const body = (await res.json().catch(() => ({}))) as { data?: T; message?: string };
  if (res.status === 401) throw new Unauthorized(body.message ?? 'token refused');
  if (!res.ok || !body.data) throw new Error(body.message ?? `HTTP ${res.status}`);
  return body.data;
}

/** The app-wide panel's three reads: online now, the last hour (5-minute points), DAU of 14 days. */
export async function fetchAppActivity(
  s: Session,
  now: Date,
  businessDate: (d: Date) => string,
  signal?: AbortSignal,
): Promise<AppActivity> {
  const end = businessDate(now);
  const start = new Date(Date.parse(`${end}T00:00:00Z`) - 13 * 86_400_000).toISOString().slice(0, 10);
  const from = new Date(now.getTime() - 3_600_000).toISOString();
  const [online, history, dau] = await Promise.all([
    getJson<AppActivity['online']>(s, 'api/v1/presence/online-count', signal),
    getJson<AppActivity['history']>(
      s,
      `api/v1/presence/online-history?from=${encodeURIComponent(from)}&to=${encodeURIComponent(now.toISOString())}&interval=5m`,
      signal,
    ),
    getJson<AppActivity['dau']>(s, `api/v1/analytics/dau?start_date=${start}&end_date=${end}`, signal),
  ]);
  return { online, history, dau };
}

export async function fetchRead<R extends ReadName>(s: Session, read: R, signal?: AbortSignal): Promise<ReadData[R]> {
  const res = await fetch(`api/v1/dashboard/${read}?star_id=${encodeURIComponent(s.star)}`, {
    headers: { authorization: `Bearer ${s.token}` },
    signal,
  });
  const body = (await res.json().catch(() => ({}))) as { data?: ReadData[R]; message?: string };
  if (res.status === 401) throw new Unauthorized(body.message ?? 'token refused');
  if (!res.ok || !body.data) throw new Error(body.message ?? `HTTP ${res.status}`);
  return body.data;
}

export interface StreamHandlers {
  /** The reads that changed; [] means "anything may have changed" (after a reconnect). */
  onChange: (reads: ReadName[]) => void;
  onStatus: (live: boolean) => void;
  onUnauthorized: (reason: string) => void;
  /** The server ended the stream because the token expired: the page must not reconnect with it. */
  onExpired: () => void;
}

/**
 * Follows the change stream: calls onChange with the reads that changed. fetch rather than
 * EventSource, so the token travels in the Authorization header (never in a URL that reaches logs).
 * Reconnects with backoff (longer when the server answers 429 or 503); stops on 401 and on an
 * `expired` event; onStatus says whether the stream is live.
 */
export function followChanges(s: Session, on: StreamHandlers): () => void {
  const stop = new AbortController();
  let delay: number = RETRY.minMs;
  let connected = false;
  const run = async (): Promise<void> => {
    while (!stop.signal.aborted) {
      let busy: { retryAfter: string | null } | undefined;
      try {
        const res = await fetch(`api/v1/dashboard/stream?star_id=${encodeURIComponent(s.star)}`, {
          headers: { authorization: `Bearer ${s.token}`, accept: 'text/event-stream' },
          signal: stop.signal,
        });
        if (res.status === 401) {
          const body = (await res.json().catch(() => ({}))) as { message?: string };
          return on.onUnauthorized(body.message ?? 'token refused');
        }
        if (res.status === 429 || res.status === 503) {
          busy = { retryAfter: res.headers.get('retry-after') };
          await res.body?.cancel();
          throw new Error(`HTTP ${res.status}`);
        }
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const parsed = parseSse(buffer + value);
          buffer = parsed.rest;
          for (const e of parsed.events) {
            if (e.event === 'ready') {
              on.onStatus(true);
              delay = RETRY.minMs;
              // Announcements are not stored: whatever changed while disconnected is refetched once
              // the stream is back (not before, or a change between the refetch and ready is lost).
              if (connected) on.onChange([]);
              connected = true;
            } else if (e.event === 'changed') on.onChange((JSON.parse(e.data) as { reads: ReadName[] }).reads);
            else if (e.event === 'expired') {
              stop.abort();
              on.onStatus(false);
              return on.onExpired();
            }
          }
        }
      } catch {
        if (stop.signal.aborted) return;
      }
      on.onStatus(false);
      const r = nextRetry(delay, busy);
      delay = r.nextDelay;
      await new Promise((done) => setTimeout(done, r.waitMs));
    }
  };
  void run();
  return () => stop.abort();
}
