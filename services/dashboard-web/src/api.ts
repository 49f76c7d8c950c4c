import type { AppActivity, ReadData, ReadName } from './reads';
import { parseSse } from './sse';

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

/**
 * Follows the change stream: calls onChange with the reads that changed. fetch rather than
 * EventSource, so the token travels in the Authorization header (never in a URL that reaches logs).
 * Reconnects with backoff; onStatus says whether the stream is live.
 */
export function followChanges(
  s: Session,
  onChange: (reads: ReadName[]) => void,
  onStatus: (live: boolean) => void,
  onUnauthorized: (reason: string) => void,
): () => void {
  const stop = new AbortController();
  let delay = 500;
  const run = async (): Promise<void> => {
    while (!stop.signal.aborted) {
      try {
        const res = await fetch(`api/v1/dashboard/stream?star_id=${encodeURIComponent(s.star)}`, {
          headers: { authorization: `Bearer ${s.token}`, accept: 'text/event-stream' },
          signal: stop.signal,
        });
        if (res.status === 401) {
          const body = (await res.json().catch(() => ({}))) as { message?: string };
          return onUnauthorized(body.message ?? 'token refused');
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
              onStatus(true);
              delay = 500;
            } else if (e.event === 'changed') onChange((JSON.parse(e.data) as { reads: ReadName[] }).reads);
          }
        }
      } catch {
        if (stop.signal.aborted) return;
      }
      onStatus(false);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
      // Whatever changed while disconnected: refetch everything once reconnected.
      onChange([]);
    }
  };
  void run();
  return () => stop.abort();
}
