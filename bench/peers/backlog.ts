import type { TestPipeline } from '@fan/test-support';
import { realisticEvents } from '../lib/events';

/**
 * The backlog every peer comparison reads: `n` realistic events, every 20th of them published a
 * second time (as producers that retry do), in chunks the publisher's queue takes.
 */
export async function publishBacklog(p: TestPipeline, n: number, seed: number) {
  const events = realisticEvents(n, seed);
  const resent = events.filter((_, i) => i % 20 === 7);
  for (const list of [events, resent]) for (let i = 0; i < list.length; i += 5000) await p.publisher.publish(list.slice(i, i + 5000));
  return { events, resent, total: events.length + resent.length };
}
