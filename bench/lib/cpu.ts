import { readFileSync, readdirSync } from 'node:fs';

const TICK = 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux

function processTicks(pid: number): number {
  try {
    // Fields after the command name, which sits in parentheses and may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime
  } catch {
    return 0; // exited
  }
}

function machineBusyTicks(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = cpu as [number, number, number, number, number, number, number, number];
  return user + nice + system + irq + softirq + steal;
}

/** Processes whose /proc/<pid>/<file> satisfies `match` (processes that exit meanwhile are skipped). */
function pidsWhere(file: 'comm' | 'cmdline', match: (text: string) => boolean): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (match(readFileSync(`/proc/${d}/${file}`, 'utf8'))) out.push(Number(d));
    } catch {
      /* exited */
    }
  }
  return out;
}

export const pidsNamed = (comm: string) => pidsWhere('comm', (t) => t.trim() === comm);
export const pidsWithArg = (fragment: string) => pidsWhere('cmdline', (t) => t.includes(fragment));

export type CpuGroups = Record<string, () => number[]>;

/**
 * CPU seconds spent by each group of processes (and by the whole machine) between start and stop,
 * so a case can say where its time went: the pipeline's process, Postgres, the Kafka broker.
 * Postgres backends that exit during the interval are not counted; keep connections open across it.
 */
export function cpuMeter(groups: CpuGroups) {
  const sample = () =>
    new Map(Object.entries(groups).map(([name, pids]) => [name, new Map(pids().map((pid) => [pid, processTicks(pid)]))]));
  const machine0 = machineBusyTicks();
  const before = sample();
  return {
    stop(): Record<string, number> {
      const out: Record<string, number> = { machine: (machineBusyTicks() - machine0) / TICK };
      for (const [name, ticks] of sample()) {
        let sum = 0;
        // Per process, so a process that started or exited in between does not skew the others.
        for (const [pid, t] of ticks) if (t > 0) sum += t - (before.get(name)?.get(pid) ?? 0);
        out[name] = sum / TICK;
      }
      return out;
    },
  };
}
