/**
 * What `npm start` runs, derived from the process manifest (libs/config/src/processes.ts): which
 * processes (SERVICES, DEMO_TRAFFIC), how many instances of each consumer group (REPLICAS), the
 * port each instance serves /healthz and /metrics on, and what MONITORING scrapes. scripts/start.sh
 * runs the lines this prints; it holds no list of its own.
 */
import { consumersOf, longRunning, PROCESSES, type ProcessEntry } from '@fan/config';

type Env = Record<string, string | undefined>;

export interface Instance {
  name: string;
  /** 1 for the first instance of a process. */
  index: number;
  /** Log file under .local/logs. */
  log: string;
  /** Settings this instance gets beyond the user's environment (an extra replica's port). */
  env: Record<string, string>;
  /** Where its /metrics is scraped, if it serves one. */
  target?: string;
}

export class PlanError extends Error {}

/** Extra replica i of a group serves on the group's port + 100·(i−1). */
const REPLICA_PORT_STEP = 100;

export function startPlan(env: Env, manifest: readonly ProcessEntry[] = PROCESSES): Instance[] {
  const running = longRunning(manifest);
  const byName = new Map(running.map((p) => [p.name, p]));
  const defaults = running.filter((p) => p.kind !== 'demo' || env.DEMO_TRAFFIC !== 'false').map((p) => p.name);
  const names = env.SERVICES?.trim() ? env.SERVICES.trim().split(/\s+/) : defaults;
  for (const n of names)
    if (!byName.has(n)) throw new PlanError(`SERVICES: '${n}' is not a process npm start runs (${[...byName.keys()].join(' ')})`);
  const groups = consumersOf(manifest).map((g) => g.name);
  const replicas = new Map<string, number>();
  for (const r of (env.REPLICAS ?? '').split(/\s+/).filter(Boolean)) {
    const [name = '', count = ''] = r.split('=');
    if (!groups.includes(name) || !/^[1-9][0-9]?$/.test(count))
      throw new PlanError(`REPLICAS: '${r}' — only consumer groups scale this way (${groups.join(' ')}), with a count of 1-99`);
    replicas.set(name, Number(count));
  }
  const out: Instance[] = [];
  for (const name of names) {
    const p = byName.get(name)!;
    for (let i = 1; i <= (replicas.get(name) ?? 1); i++) {
      const instance: Instance = { name, index: i, log: i === 1 ? `${name}.log` : `${name}-${i}.log`, env: {} };
      if (p.port) {
        const base = Number(env[p.port.variable] || p.port.default);
        const port = base + REPLICA_PORT_STEP * (i - 1);
        if (i > 1) instance.env[p.port.variable] = String(port);
        instance.target = `127.0.0.1:${port}`;
      }
      out.push(instance);
    }
  }
  return out;
}

/** One line per instance for start.sh: name, log file, target (or -), then VAR=value settings. */
export function planLines(plan: Instance[]): string {
  return plan.map((i) => [i.name, i.log, i.target ?? '-', ...Object.entries(i.env).map(([k, v]) => `${k}=${v}`)].join('\t')).join('\n');
}

if (require.main === module) {
  try {
    process.stdout.write(`${planLines(startPlan(process.env))}\n`);
  } catch (err) {
    if (!(err instanceof PlanError)) throw err;
    process.stderr.write(`[start] ${err.message}\n`);
    process.exit(2);
  }
}
