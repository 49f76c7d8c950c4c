import type { ApplyResult, ApplyStep } from './batch-loop';

/**
 * Runs what concurrent callers ask for together: calls that arrive while `maxInFlight` runs are
 * under way (or within the same turn of the event loop) wait and go in the next run, up to
 * `maxWeight` of them. kafkajs hands each partition of a fetch to its own eachBatch call; gathered,
 * their chunks cost one transaction, one change-record send and one offset commit instead of one
 * each. A run of several that fails is done again one caller at a time, so that each caller sees
 * its own outcome: a record one partition's chunk refuses never fails another partition's chunk.
 */
export function gather<A, R>(
  runMany: (args: A[]) => Promise<R[]>,
  opts: { maxInFlight: number; maxWeight?: number; weight?: (arg: A) => number },
): (arg: A) => Promise<R> {
  const { maxInFlight, maxWeight = Infinity, weight = () => 1 } = opts;
  interface Waiting {
    arg: A;
    resolve: (r: R) => void;
    reject: (e: unknown) => void;
  }
  let queue: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;

  const settleAlone = async (w: Waiting) => {
    try {
      const [r] = await runMany([w.arg]);
      w.resolve(r as R);
    } catch (err) {
      w.reject(err);
    }
  };

  const run = async (group: Waiting[]) => {
    try {
      const results = await runMany(group.map((w) => w.arg));
      group.forEach((w, i) => w.resolve(results[i] as R));
    } catch (err) {
      if (group.length === 1) (group[0] as Waiting).reject(err);
      else for (const w of group) await settleAlone(w);
    }
  };

  const flush = () => {
    scheduled = false;
    while (queue.length > 0 && inFlight < maxInFlight) {
      let taken = 0;
      let load = 0;
      while (taken < queue.length && (taken === 0 || load + weight((queue[taken] as Waiting).arg) <= maxWeight)) {
        load += weight((queue[taken] as Waiting).arg);
        taken++;
      }
      const group = queue.slice(0, taken);
      queue = queue.slice(taken);
      inFlight++;
      void run(group).finally(() => {
        inFlight--;
        schedule();
      });
    }
  };

  function schedule() {
    if (scheduled || queue.length === 0 || inFlight >= maxInFlight) return;
    scheduled = true;
    setImmediate(flush);
  }

  return (arg) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ arg, resolve, reject });
      schedule();
    });
}

/** One partition's chunk, as the batch loop hands it to the apply step. */
export interface Chunk<T> {
  items: T[];
  partition: number;
}

/** An apply step over the chunks of several partitions at once: one result per chunk, in order. */
export type ApplyChunksStep<T> = (chunks: Chunk<T>[]) => Promise<ApplyResult[]>;

/** The batch loop's apply step, with the chunks partitions hand in at the same time applied together. */
export function gatheredApply<T>(applyChunks: ApplyChunksStep<T>, opts: { maxInFlight: number; maxItems: number }): ApplyStep<T> {
  const apply = gather(applyChunks, { maxInFlight: opts.maxInFlight, maxWeight: opts.maxItems, weight: (c) => c.items.length });
  return (items, partition) => apply({ items, partition });
}
