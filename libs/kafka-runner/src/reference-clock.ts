import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';

/** Epoch ms on a server whose clock the deployment keeps (Postgres, Redis): one round trip. */
export type ReferenceTime = () => Promise<number>;

export interface ProcessClock {
  /** This host's time corrected by the last measured offset (Date.now() until one is measured). */
  now(): number;
  /** Settles once the first measurement succeeded or failed (then the offset stays 0 until one does). */
  first: Promise<void>;
  stop(): void;
}

/** The offset of a reference read between t0 and t1 (NTP's estimate: the answer came half-way). */
export const offsetOf = (t0: number, reference: number, t1: number): number => reference - (t0 + t1) / 2;

const SKEW_WARN_MS = 1000;

/**
 * A process's clock measured against a reference every `intervalMs` (three reads, the fastest
 * kept: its half round trip bounds the error). Freshness is then measured on one clock with the
 * records' timestamps even when this host's clock is hours off; the offset is exported
 * (`pipeline_clock_offset_seconds`) and logged when it passes 1 s, so the skew itself is seen.
 */
export function startReferenceClock(
  reference: ReferenceTime,
  o: { intervalMs?: number; logger: Logger; registry: Registry },
): ProcessClock {
  let offset = 0;
  let warned = false;
  new Gauge({
    name: 'pipeline_clock_offset_seconds',
    help: "Reference clock (Postgres or Redis) minus this process's clock, measured every 30 s",
    registers: [o.registry],
    collect() {
      this.set(offset / 1000);
    },
  });
  const measure = async () => {
    let best: { rtt: number; offset: number } | undefined;
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      const ref = await reference();
      const t1 = Date.now();
      if (!best || t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: offsetOf(t0, ref, t1) };
    }
    offset = Math.round(best!.offset);
    const skewed = Math.abs(offset) > SKEW_WARN_MS;
    if (skewed && !warned)
      o.logger.warn({ offsetMs: offset, rttMs: best!.rtt }, "this host's clock is off; freshness is measured on the reference clock");
    warned = skewed;
  };
  const tick = (): Promise<void> =>
    measure().catch((err: unknown) => o.logger.debug({ err }, 'clock offset not measured; keeping the last one'));
  const first = tick();
  const timer = setInterval(tick, o.intervalMs ?? 30_000);
  timer.unref();
  return { now: () => Date.now() + offset, first, stop: () => clearInterval(timer) };
}
