import { Gauge, type Registry } from 'prom-client';

/** Where a partition is failing and since when; cleared by its next durable chunk. */
interface Stall {
  since: number;
  attempts: number;
  lastError: string;
}

/**
 * Partitions whose records keep failing with errors that are not the record's fault. A stall is
 * retried forever (never dead-lettered), so it must be seen: a gauge per partition, and a health
 * check that fails once any stall lasts longer than `stuckAfterMs`.
 */
export function createStallTracker(registry: Registry | undefined, stuckAfterMs: number, now: () => number = Date.now) {
  const stalls = new Map<string, Stall & { topic: string; partition: number }>();
  if (registry) {
    new Gauge({
      name: 'pipeline_partition_stuck_seconds',
      help: 'How long a partition has failed to apply its next chunk (0 when moving)',
      labelNames: ['topic', 'partition'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const s of stalls.values()) this.set({ topic: s.topic, partition: String(s.partition) }, (now() - s.since) / 1000);
      },
    });
  }
  return {
    failed(topic: string, partition: number, err: unknown): Stall {
      const key = `${topic}/${partition}`;
      let s = stalls.get(key);
      if (!s) {
        s = { topic, partition, since: now(), attempts: 0, lastError: '' };
        stalls.set(key, s);
      }
      s.attempts += 1;
      s.lastError = err instanceof Error ? err.message : String(err);
      return s;
    },
    recovered(topic: string, partition: number): void {
      stalls.delete(`${topic}/${partition}`);
    },
    attempts(topic: string, partition: number): number {
      return stalls.get(`${topic}/${partition}`)?.attempts ?? 0;
    },
    /** For /healthz: rejects naming every partition stuck longer than stuckAfterMs. */
    healthCheck: async (): Promise<void> => {
      const t = now();
      const stuck = [...stalls.values()].filter((s) => t - s.since >= stuckAfterMs);
      if (stuck.length > 0) {
        throw new Error(
          stuck
            .map(
              (s) =>
                `${s.topic}[${s.partition}] failing for ${Math.round((t - s.since) / 1000)} s (${s.attempts} attempts): ${s.lastError.slice(0, 200)}`,
            )
            .join('; '),
        );
      }
    },
  };
}
export type StallTracker = ReturnType<typeof createStallTracker>;
