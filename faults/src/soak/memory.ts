/** Memory samples of the soak's processes (resident, V8 heap, external), their trends, and the chart of them. Pure. */

export interface Sample {
  /** Minutes since the soak started. */
  minute: number;
  process: string;
  rssMb: number;
  /** V8 heap in use (live and not yet collected), when the process reported it. */
  heapMb?: number;
  /** Memory outside the V8 heap held by JavaScript objects (Buffers): kafkajs batches, pg rows. */
  externalMb?: number;
}

export interface Trend {
  process: string;
  samples: number;
  firstMb: number;
  lastMb: number;
  peakMb: number;
  /**
   * Resident growth, MB per hour: the steepest least-squares slope of any stretch between the
   * process's own restarts, after warm-up. A restart drops a process back to its base, so one fit
   * over the whole run would hide growth behind the drops.
   */
  slopeMbPerHour: number;
  /** The same over the V8 heap in use: growth here is JavaScript objects kept, i.e. a leak in our code or a library's. */
  heapSlopeMbPerHour?: number;
  /** Minutes of samples the slope was fitted over (the longest stretch, when no stretch is long enough). */
  fittedMinutes: number;
  /** lastMb + 168 h of that slope: where a week of the same growth would take it. */
  weekMb: number;
  limitMb?: number;
}

/** Ordinary least squares slope of y over x (0 for fewer than 2 distinct x). */
export function slope(points: ReadonlyArray<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  let sx = 0;
  let sy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Per process: peak, and the slope of each stretch between its restarts (`restarts`: the minutes
 * at which that process was killed), each stretch from `warmupMinutes` after it began (a fresh
 * process filling its heap to its working size is not a leak). Stretches shorter than
 * `minStretchMinutes` of warm samples are too short to fit unless no stretch is longer.
 */
export function trends(
  samples: readonly Sample[],
  limits: Record<string, number>,
  restarts: Record<string, readonly number[]> = {},
  warmupMinutes = 5,
  minStretchMinutes = 10,
): Trend[] {
  const by = new Map<string, Sample[]>();
  for (const s of samples) {
    const list = by.get(s.process);
    if (list) list.push(s);
    else by.set(s.process, [s]);
  }
  return [...by].map(([process, list]) => {
    const cuts = [0, ...(restarts[process] ?? [])].sort((a, b) => a - b);
    const stretches = cuts
      .map((from, i) => {
        const to = cuts[i + 1] ?? Infinity;
        return list.filter((s) => s.minute >= from + warmupMinutes && s.minute < to);
      })
      .filter((st) => st.length >= 2);
    const span = (st: Sample[]) => st[st.length - 1]!.minute - st[0]!.minute;
    const long = stretches.filter((st) => span(st) >= minStretchMinutes);
    const fitted = long.length ? long : stretches.sort((a, b) => span(b) - span(a)).slice(0, 1);
    const steepest = (get: (s: Sample) => number | undefined): number | undefined => {
      const slopes = fitted
        .map((st) => st.filter((s) => get(s) !== undefined))
        .filter((st) => st.length >= 2)
        .map((st) => slope(st.map((s) => [s.minute, get(s)!])) * 60);
      return slopes.length ? Math.max(...slopes) : undefined;
    };
    const perHour = steepest((s) => s.rssMb) ?? 0;
    const last = list[list.length - 1]!.rssMb;
    return {
      process,
      samples: list.length,
      firstMb: list[0]!.rssMb,
      lastMb: last,
      peakMb: Math.max(...list.map((s) => s.rssMb)),
      slopeMbPerHour: perHour,
      heapSlopeMbPerHour: steepest((s) => s.heapMb),
      fittedMinutes: Math.max(0, ...fitted.map(span)),
      weekMb: last + Math.max(0, perHour) * 168,
      limitMb: limits[process],
    };
  });
}

const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** An SVG line chart of every process's resident memory over the soak, faults marked. */
export function memoryChart(samples: readonly Sample[], faults: ReadonlyArray<{ minute: number; label: string }>, title: string): string {
  const W = 1200;
  const H = 700;
  const L = 70;
  const R = 250;
  const T = 50;
  const B = 60;
  const maxMinute = Math.max(1, ...samples.map((s) => s.minute));
  const maxMb = Math.ceil(Math.max(50, ...samples.map((s) => s.rssMb)) / 50) * 50;
  const x = (m: number) => L + (m / maxMinute) * (W - L - R);
  const y = (mb: number) => H - B - (mb / maxMb) * (H - T - B);
  const names = [...new Set(samples.map((s) => s.process))];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${L}" y="28" font-size="17">${escapeXml(title)}</text>`,
  ];
  for (let mb = 0; mb <= maxMb; mb += 50) {
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(mb)}" y2="${y(mb)}" stroke="#eee"/>`);
    parts.push(`<text x="${L - 8}" y="${y(mb) + 4}" text-anchor="end">${mb}</text>`);
  }
  const step = maxMinute > 30 ? 10 : 5;
  for (let m = 0; m <= maxMinute; m += step) parts.push(`<text x="${x(m)}" y="${H - B + 20}" text-anchor="middle">${m}</text>`);
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 15}" text-anchor="middle">minutes</text>`);
  parts.push(`<text x="18" y="${(T + H - B) / 2}" transform="rotate(-90 18 ${(T + H - B) / 2})" text-anchor="middle">resident MB</text>`);
  for (const f of faults) {
    parts.push(`<line x1="${x(f.minute)}" x2="${x(f.minute)}" y1="${T}" y2="${H - B}" stroke="#bbb" stroke-dasharray="4 4"/>`);
    parts.push(
      `<text x="${x(f.minute) + 3}" y="${T + 12}" font-size="10" transform="rotate(90 ${x(f.minute) + 3} ${T + 12})">${escapeXml(f.label)}</text>`,
    );
  }
  names.forEach((name, i) => {
    const pts = samples.filter((s) => s.process === name).map((s) => `${x(s.minute).toFixed(1)},${y(s.rssMb).toFixed(1)}`);
    const c = COLOURS[i % COLOURS.length];
    parts.push(`<polyline fill="none" stroke="${c}" stroke-width="1.6" points="${pts.join(' ')}"/>`);
    parts.push(`<rect x="${W - R + 20}" y="${T + i * 22}" width="14" height="4" fill="${c}"/>`);
    parts.push(`<text x="${W - R + 40}" y="${T + i * 22 + 6}">${escapeXml(name)}</text>`);
  });
  parts.push(
    `<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#333"/><line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#333"/>`,
  );
  parts.push('</svg>');
  return parts.join('\n');
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
