import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './fresh-registry';

const BIN = '/usr/lib/postgresql/15/bin';

/** Runs a PostgreSQL tool as the `postgres` OS user (the server refuses to run as root). */
function pgTool(tool: string, args: string[], timeoutMs = 120_000): string {
  const asPostgres = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', join(BIN, tool), ...args]] : [join(BIN, tool), args];
  const [cmd, argv] = asPostgres as [string, string[]];
  return execFileSync(cmd, argv, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A test server's own settings, appended to its postgresql.conf (the last setting wins). */
function configure(data: string, port: number, socketDir: string, extra: string[]): void {
  appendFileSync(
    join(data, 'postgresql.conf'),
    [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${socketDir}'`,
      'max_connections = 200',
      ...extra,
      '',
    ].join('\n'),
  );
}

export interface OwnPostgresPair {
  /** The primary alone (to create and migrate databases). */
  primaryUrl: string;
  /** Both, libpq style: the primary first, writes wanted. `db` is the database name. */
  multiHostUrl(db: string): string;
  primaryPort: number;
  standbyPort: number;
  /** The primary dies at once (pg_ctl stop -m immediate: no shutdown checkpoint, as in a crash). */
  killPrimary(): void;
  /** The standby becomes the primary (pg_ctl promote, waits until it takes writes). */
  promoteStandby(): void;
  /** Whether the primary waits for the standby on every commit. */
  synchronous: boolean;
  stop(): void;
}

/**
 * A primary and a hot standby of the test's own (Debian's PostgreSQL 15: initdb, then
 * pg_basebackup -R, streaming replication) in a temporary folder on free ports; never the
 * machine's shared cluster. `synchronous`: the primary waits for the standby on every commit
 * (synchronous_standby_names = '*'), so a failover loses nothing that was acknowledged.
 */
export async function startOwnPostgresPair(o: { synchronous: boolean }): Promise<OwnPostgresPair> {
  const dir = mkdtempSync(join(tmpdir(), 'pg-pair-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const primary = join(dir, 'primary');
  const standby = join(dir, 'standby');
  const primaryPort = await freePort();
  const standbyPort = await freePort();
  const conf = (data: string, port: number, extra: string[] = []) => configure(data, port, dir, extra);
  pgTool('initdb', ['-D', primary, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  conf(primary, primaryPort, [
    'wal_level = replica',
    'max_wal_senders = 5',
    'hot_standby = on',
    "shared_buffers = '64MB'",
    ...(o.synchronous ? ["synchronous_standby_names = '*'"] : []),
  ]);
  const logs = { primary: join(dir, 'primary.log'), standby: join(dir, 'standby.log') };
  pgTool('pg_ctl', ['-D', primary, '-l', logs.primary, '-w', 'start']);
  pgTool('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', standby, '-R', '-X', 'stream']);
  // The copied postgresql.conf says the primary's port, and would make the promoted standby wait for
  // a synchronous standby of its own that does not exist: the last setting wins.
  appendFileSync(join(standby, 'postgresql.conf'), `port = ${standbyPort}\nsynchronous_standby_names = ''\n`);
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', standby]);
  pgTool('pg_ctl', ['-D', standby, '-l', logs.standby, '-w', 'start']);
  const stopIfUp = (data: string) => {
    try {
      pgTool('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    } catch {
      /* already down */
    }
  };
  return {
    primaryUrl: `postgres://postgres@127.0.0.1:${primaryPort}/postgres`,
    multiHostUrl: (db) => `postgres://postgres@127.0.0.1:${primaryPort},127.0.0.1:${standbyPort}/${db}?target_session_attrs=read-write`,
    primaryPort,
    standbyPort,
    synchronous: o.synchronous,
    killPrimary: () => stopIfUp(primary),
    promoteStandby: () => void pgTool('pg_ctl', ['-D', standby, '-w', 'promote']),
    stop: () => {
      stopIfUp(standby);
      stopIfUp(primary);
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch (err) {
        console.warn(`could not remove ${dir}: ${(err as Error).message}; last log: ${readFileSync(logs.standby, 'utf8').slice(-500)}`);
      }
    },
  };
}

export interface OwnPostgres {
  port: number;
  urlFor(db: string): string;
  /** The postmaster is alive. */
  running(): boolean;
  /** Starts it again (as its supervisor would after a crash). */
  start(): void;
  stop(): void;
}

/** One PostgreSQL server of the test's own with its data directory under `parent` (e.g. a small filesystem). */
export async function startOwnPostgres(parent: string): Promise<OwnPostgres> {
  const data = join(parent, 'data');
  const port = await freePort();
  const log = join(parent, 'postgres.log');
  pgTool('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  configure(data, port, parent, ["shared_buffers = '32MB'"]);
  const start = () => void pgTool('pg_ctl', ['-D', data, '-l', log, '-w', 'start']);
  start();
  return {
    port,
    urlFor: (db) => `postgres://postgres@127.0.0.1:${port}/${db}`,
    running: () => {
      try {
        pgTool('pg_ctl', ['-D', data, 'status']);
        return true;
      } catch {
        return false;
      }
    },
    start,
    stop: () => {
      try {
        pgTool('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } catch {
        /* already down */
      }
    },
  };
}
