import { ProgressMeter, type ProgressMeterOptions } from './progress';

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions extends ProgressMeterOptions {
  /** Default: stderr, so stdout keeps only the command's result (and the JSON logs). */
  stream?: ProgressOutput;
  /** Default: the stream's own isTTY. */
  tty?: boolean;
  /** Rewrites of the line on a terminal (default 250 ms: 4 a second, invisible in the job's cost). */
  ttyIntervalMs?: number;
  /** Lines when not on a terminal (the job's PROGRESS_INTERVAL_MS, parsed at its edge; 10 s): a log file gets a readable trail. */
  intervalMs?: number;
  clock?: () => number;
}

export interface ProgressReporter {
  /** Only stores the numbers; a timer does the writing, so calling it per record costs nothing. */
  update(count: number, fraction?: number, note?: string): void;
  /** Writes the final line (total time, average rate) and stops the timer. */
  finish(): void;
}

/**
 * Progress on stderr: on a terminal one line rewritten in place ("\r", then clear to the end of the
 * line); elsewhere (CI, a file) a plain line every interval, without control characters.
 */
export function startProgress(o: ProgressOptions): ProgressReporter {
  const stream = o.stream ?? process.stderr;
  const tty = o.tty ?? stream.isTTY === true;
  const clock = o.clock ?? Date.now;
  const every = tty ? (o.ttyIntervalMs ?? 250) : (o.intervalMs ?? 10_000);
  const meter = new ProgressMeter(o, clock());
  const show = (final: boolean) => {
    const now = clock();
    meter.sample(now);
    const line = meter.line(now, final);
    stream.write(tty ? `\r${line}\x1b[K${final ? '\n' : ''}` : `${line}\n`);
  };
  const timer = setInterval(() => show(false), every);
  // Progress alone never keeps a finished job's process alive.
  timer.unref();
  let finished = false;
  return {
    update: (count, fraction, note) => meter.update(count, fraction, note),
    finish: () => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      show(true);
    },
  };
}
