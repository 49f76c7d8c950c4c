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
