import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

export interface RunningJvm {
  child: ChildProcess;
  /** The last ~100-200 kB of its stdout and stderr. */
  output: () => string;
  /** SIGTERM, wait for exit, then remove its working folder. */
  stop: () => Promise<void>;
}

/** A baseline's JVM with PEERS_JVM_HEAP (default -Xmx256m); `workDir` is removed when it stops. */
export function startJvm(args: string[], workDir: string, env: NodeJS.ProcessEnv = process.env): RunningJvm {
  const child = spawn('java', [process.env.PEERS_JVM_HEAP ?? '-Xmx256m', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
