import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const LIB = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1'];

/** Debian's libfaketime: installed with apt-get when missing, as root (like ensureChromium). */
function ensureFaketime(): string {
  const found = () => LIB.find((l) => existsSync(l));
  if (found()) return found()!;
  try {
    execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime'], {
      stdio: 'ignore',
      timeout: 600_000,
    });
  } catch (err) {
    throw new Error(`libfaketime is missing and could not be installed (apt-get install faketime): ${(err as Error).message}`);
  }
  const lib = found();
  if (!lib) throw new Error('apt-get ran but libfaketime is still missing');
  return lib;
}

/**
 * Environment that runs a process with its wall clock `offset` off (faketime syntax: '+26h',
 * '-9h'), as on a host whose NTP is broken. The monotonic clock is left alone, as it is there.
 */
export function skewedClockEnv(offset: string): Record<string, string> {
  return { LD_PRELOAD: ensureFaketime(), FAKETIME: offset, FAKETIME_DONT_FAKE_MONOTONIC: '1' };
}
