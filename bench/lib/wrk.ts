import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quantile } from './report';
import type { OpenLoopResult } from './open-loop';

/** wrk from Debian's package, installed when missing (as root), as the alert tests do with promtool. */
export function ensureWrk(): string {
  if (!existsSync('/usr/bin/wrk')) {
    console.log('installing wrk (apt-get)…');
    execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk'], {
      stdio: 'ignore',
      timeout: 600_000,
    });
  }
  return '/usr/bin/wrk';
}

/** What the node open-loop generator reports, and what only the wrk pacer knows besides. */
export interface SteadyResult extends OpenLoopResult {
  /** Share of sends that left after their scheduled instant (then measured from that instant). */
  latePct: number;
  /** wrk's own p99, measured from each actual send (what a closed-loop tool would report). */
  fromSendP99: number;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * `rate` GET requests per second for `seconds`, cycling through `paths`, from wrk with
 * bench/lib/steady.lua: one connection per wrk thread, each on a fixed schedule, every latency
 * from the scheduled instant when the send was late (see the script). wrk runs as its own process,
 * so its tail is not this process's event loop.
 */
export async function steadyWrk(
  base: string,
  headers: Record<string, string>,
  paths: string[],
  rate: number,
  seconds: number,
  connections = Number(process.env.BENCH_WRK_CONNECTIONS ?? 40),
): Promise<SteadyResult> {
  const dir = mkdtempSync(join(tmpdir(), 'steady-'));
  const out = join(dir, 'latencies.json');
  const args = [
    `-t${connections}`,
    `-c${connections}`,
    `-d${seconds}s`,
    '--timeout',
    '5s',
    ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    '-s',
    join(__dirname, 'steady.lua'),
    base,
    '--',
    String(rate),
    String(connections),
    out,
    ...paths,
  ];
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(ensureWrk(), args, { stdio: ['ignore', 'ignore', 'inherit'] });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`wrk exited ${code}`))));
    });
    const r = JSON.parse(readFileSync(out, 'utf8')) as {
      requests: number;
      socket_errors: number;
      from_send_p99_us: number;
      threads: Array<{ late: number; errors: number; ms: number[] }>;
    };
    const all = Float64Array.from(r.threads.flatMap((t) => t.ms)).sort();
    // The schedule starts 0.3 s after wrk does (connections first); count the rate over the schedule.
    return {
      rps: Math.round(all.length / (seconds - 0.3)),
      p50: round(quantile(all, 0.5)),
      p90: round(quantile(all, 0.9)),
      p99: round(quantile(all, 0.99)),
      max: round(all[all.length - 1] ?? NaN),
      errors: r.socket_errors + r.threads.reduce((s, t) => s + t.errors, 0),
      latePct: round((100 * r.threads.reduce((s, t) => s + t.late, 0)) / Math.max(1, all.length)),
      fromSendP99: round(r.from_send_p99_us / 1000),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
