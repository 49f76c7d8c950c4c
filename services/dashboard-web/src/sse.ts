/** One server-sent event: its `event:` name (default "message") and its `data:` lines joined. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Parses a server-sent-events text stream incrementally: feed it what arrived, get the complete
 * events and the unfinished rest to prepend to the next chunk. Comment lines (": keep-alive") are
 * skipped. Pure, so that it is tested without a network.
 */
export function parseSse(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}

/** Waits between stream attempts: doubling from 0.5 s to 10 s; when the server is busy, 5 s to 60 s. */
export const RETRY = { minMs: 500, maxMs: 10_000, busyMinMs: 5_000, busyMaxMs: 60_000 } as const;

/**
 * How long to wait before the next stream attempt and the delay after that. `busy` is a 429 (this
 * user has too many streams open) or a 503 (the instance is full): its Retry-After (seconds) is
 * honoured within 60 s, and a random quarter on top spreads the pages that were refused together.
 */
export function nextRetry(
  delay: number,
  busy?: { retryAfter: string | null },
  random: () => number = Math.random,
): { waitMs: number; nextDelay: number } {
  if (!busy) return { waitMs: delay, nextDelay: Math.min(delay * 2, RETRY.maxMs) };
  const asked = Number(busy.retryAfter) * 1000;
  const base = Number.isFinite(asked) && asked > 0 ? Math.min(asked, RETRY.busyMaxMs) : Math.max(delay, RETRY.busyMinMs);
  return {
    waitMs: Math.round(base * (1 + random() / 4)),
    nextDelay: Math.min(Math.max(base, delay) * 2, RETRY.busyMaxMs),
  };
}
