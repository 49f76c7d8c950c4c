import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallFilesystem {
  /** Where it is mounted. */
  path: string;
  /** Bytes free for an unprivileged writer (a server's own files). */
  freeBytes(): number;
  /** Fills it until `leaveBytes` are left (a filler file), as a disk fills under load. */
  fill(leaveBytes?: number): void;
  /** Space returns: the filler goes. */
  free(): void;
  /** Unmounts and deletes it (what was on it goes too). */
  remove(): void;
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

/**
 * An ext4 filesystem of `sizeMb` in a file, loop-mounted in a temporary folder (needs root), for a
 * server's data that must run out of space without touching the machine's disks.
 */
export function createSmallFilesystem(sizeMb: number, owner?: string): SmallFilesystem {
  const dir = mkdtempSync(join(tmpdir(), 'small-fs-'));
  chmodSync(dir, 0o755); // the server's own user reaches the mount through it
  const image = join(dir, 'image.ext4');
  const path = join(dir, 'mnt');
  run('mkdir', ['-p', path]);
  run('truncate', ['-s', `${sizeMb}M`, image]);
  // No reserved blocks: "full" means full for the server too, not only for root.
  run('mkfs.ext4', ['-q', '-m', '0', '-F', image]);
  run('mount', ['-o', 'loop', image, path]);
  if (owner) run('chown', [`${owner}:${owner}`, path]);
  const filler = join(path, 'filler');
  const freeBytes = () => {
    const s = statfsSync(path);
    return Number(s.bavail) * Number(s.bsize);
  };
  return {
    path,
    freeBytes,
    fill: (leaveBytes = 0) => {
      const size = freeBytes() - leaveBytes;
      if (size > 0) run('fallocate', ['-l', String(size), filler]);
    },
    free: () => rmSync(filler, { force: true }),
    remove: () => {
      try {
        run('umount', ['-l', path]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
