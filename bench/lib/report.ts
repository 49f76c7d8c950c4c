import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The q-quantile (0..1) of the values, nearest rank; the input is not modified. */
export const quantile = (xs: ArrayLike<number>, q: number): number => {
  const s = Array.from(xs).sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, node ${process.version}`;
}

export interface Row {
  case: string;
  [column: string]: string | number;
}

/**
 * Prints the table and appends it, with the machine and the command, to docs/BENCHMARKS.md
 * (BENCH_REPORT_FILE=path appends elsewhere, for trial runs that should not land in the docs).
 */
export function report(title: string, command: string, rows: Row[], notes: string[] = []): void {
  // bench/kafka-versions.sh runs the same benches on each broker release: say which one this was.
  if (process.env.BENCH_KAFKA_VERSION) title = `${title} (Kafka ${process.env.BENCH_KAFKA_VERSION})`;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const table = [
    `| ${cols.join(' | ')} |`,
    `|${cols.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${cols.map((c) => String(r[c] ?? '')).join(' | ')} |`),
  ].join('\n');
  console.log(`\n${title}\n${table}\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
  const file = process.env.BENCH_REPORT_FILE ?? join(__dirname, '../../docs/BENCHMARKS.md');
  if (!existsSync(file))
    writeFileSync(file, '# Benchmarks\n\nEach section was appended by a bench script; newest last. Medians of several runs.\n');
  appendFileSync(
    file,
    `\n## ${title} — ${new Date().toISOString()}\n\nMachine: ${machine()}  \nCommand: \`${command}\`\n\n${table}\n${notes.length ? `\n${notes.map((n) => `- ${n}`).join('\n')}\n` : ''}`,
  );
}

/** Peak resident memory (VmHWM) of a process, in MB. */
export function peakRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}
