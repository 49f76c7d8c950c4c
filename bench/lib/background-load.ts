import type { Publisher } from '@fan/producer';
import { realisticEvents } from './events';

/**
 * A steady load under freshness probes, until stopped: `rate` events/s in twentieths every 50 ms,
 * from 10 s of distinct events sent again under new ids as often as needed.
 */
export function backgroundLoad(publisher: Publisher, rate: number, seed: number) {
  const background = realisticEvents(rate * 10, seed);
  let stop = false;
  let sent = 0;
  const load = (async () => {
    for (let i = 0, round = 0; !stop;) {
      const t0 = Date.now();
      let batch = background.slice(i, i + rate / 20);
      if (round > 0) batch = batch.map((e) => ({ ...e, event_id: `${e.event_id}-${round}` }));
      i += batch.length;
      if (i >= background.length) [i, round] = [0, round + 1];
      await publisher.publish(batch);
      sent += batch.length;
      await new Promise((r) => setTimeout(r, Math.max(0, 50 - (Date.now() - t0))));
    }
  })();
  return {
    sent: () => sent,
    stop: async () => {
      stop = true;
      await load;
    },
  };
}
