/**
 * Progress of a long bulk job (publish a file, rebuild, replay dead letters), as one line of text:
 *   published 1,234,567 / 10,000,000 (12.3%) · 48,210 ev/s · ETA 3m02s
 * Pure: the caller passes the clock's readings; progress-output.ts does the writing.
 */

/** 1234567 → "1,234,567" (fixed grouping: the line must not depend on the machine's locale). */
export function formatCount(n: number): string {
  const s = String(Math.round(Math.abs(n)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** Seconds → "45s", "3m02s", "1h05m" (seconds are noise once it is hours). */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

export interface ProgressMeterOptions {
  /** What is being done, in the past tense: "published", "rebuilt", "replayed". */
  verb: string;
  /** Unit of the count in the rate: "ev" → "ev/s". */
  unit?: string;
  /** Total count when known up front: gives the percentage and ETA directly. */
  total?: number;
  /**
   * When the total count is not known but the share of the work is (bytes of a file read), what the
   * whole is, for the line: "1.93 GB" → "(12.3% of 1.93 GB)". update() then passes the fraction.
   */
  of?: string;
  /** The rate is measured over this much recent time, so the ETA follows a change of pace. */
  windowMs?: number;
}

interface Sample {
  t: number;
  count: number;
  fraction: number | undefined;
}

/**
 * Holds the latest count and a few recent samples (at most one per sample() call, pruned to the
 * window), so its memory does not grow with the job.
 */
export class ProgressMeter {
  private count = 0;
  private fraction: number | undefined;
  private note = '';
  private samples: Sample[] = [];
  private readonly windowMs: number;

  constructor(
    private readonly o: ProgressMeterOptions,
    private readonly startedAt: number,
  ) {
    this.windowMs = o.windowMs ?? 10_000;
    // Nothing is done at the start, whether the share comes from a total or from the caller (bytes
    // read): so the first line after the start already has an ETA.
    this.samples.push({ t: startedAt, count: 0, fraction: o.total === undefined && o.of === undefined ? undefined : 0 });
  }

  /** Cheap enough to call per record: it only stores. */
  update(count: number, fraction?: number, note?: string): void {
    this.count = count;
    if (fraction !== undefined) this.fraction = fraction;
    if (note !== undefined) this.note = note;
  }

  /** Share of the work done (0..1), if known. */
  done(): number | undefined {
    const o = this.o;
    if (o.total !== undefined) return o.total > 0 ? Math.min(1, this.count / o.total) : 1;
    return this.fraction === undefined ? undefined : Math.min(1, Math.max(0, this.fraction));
  }

  /** Records the current state at `now`; the rate and ETA are taken between samples. */
  sample(now: number): void {
    this.samples.push({ t: now, count: this.count, fraction: this.done() });
    // Keep one sample at or before the window's start, so the window is always covered.
    while (this.samples.length > 2 && this.samples[1]!.t <= now - this.windowMs) this.samples.shift();
  }

  /** Count per second over the recent window (over the whole run when `final`). */
  rate(now: number, final = false): number {
    const first = final ? { t: this.startedAt, count: 0 } : this.samples[0]!;
    const dt = (now - first.t) / 1000;
    return dt > 0 ? (this.count - first.count) / dt : 0;
  }

  /** Milliseconds left at the recent pace, or undefined when it cannot be told. */
  eta(now: number): number | undefined {
    const f = this.done();
    if (f === undefined) return undefined;
    if (f >= 1) return 0;
    const first = this.samples.find((s) => s.fraction !== undefined);
    if (!first || first.fraction === undefined || now <= first.t || f <= first.fraction) return undefined;
    return ((1 - f) * (now - first.t)) / (f - first.fraction);
  }

  line(now: number, final = false): string {
    const o = this.o;
    const f = this.done();
    let head = `${o.verb} ${formatCount(this.count)}`;
    if (o.total !== undefined) head += ` / ${formatCount(o.total)}`;
    if (f !== undefined) head += o.total !== undefined || o.of === undefined ? ` (${pct(f)})` : ` (${pct(f)} of ${o.of})`;
    const parts = [head];
    if (this.note) parts.push(this.note);
    if (final) parts.push(`in ${formatDuration(now - this.startedAt)}`);
    parts.push(`${formatCount(this.rate(now, final))} ${o.unit ?? 'ev'}/s`);
    if (!final && f !== undefined) {
      const eta = this.eta(now);
      parts.push(`ETA ${eta === undefined ? '--' : formatDuration(eta)}`);
    }
    return parts.join(' · ');
  }
}

const pct = (f: number) => `${(Math.floor(f * 1000) / 10).toFixed(1)}%`;
