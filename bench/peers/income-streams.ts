import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { startJvm, type RunningJvm } from './jvm';

const DIR = join(__dirname, 'kafka-streams');

/** Income figures keyed `star|user|day`, `star|user|week` (weekly) and `star|user` (balance), all as decimal strings. */
export interface IncomeTotals {
  daily: Map<string, string>;
  weekly: Map<string, string>;
  balances: Map<string, string>;
}

/** Builds the Kafka Streams baseline once (Maven, from Maven Central). */
export function buildIncomeStreams(): void {
  if (existsSync(join(DIR, 'target/classes/fan/peers/streams/IncomeStreams.class')) && existsSync(join(DIR, 'target/lib'))) return;
  const r = spawnSync('mvn', ['-q', '-B', 'package', '-DskipTests'], { cwd: DIR, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`building ${DIR} failed (mvn exited ${r.status})`);
}

export type RunningStreams = RunningJvm;

/** The baseline as its own JVM, with a fresh state directory (removed on stop). */
export function startIncomeStreams(env: {
  KAFKA_BROKERS: string;
  SCHEMA_REGISTRY_URL: string;
  EVENTS_TOPIC: string;
  CHANGES_TOPIC: string;
  APPLICATION_ID: string;
  BUSINESS_TZ: string;
}): RunningStreams {
  const state = mkdtempSync(join(tmpdir(), 'income-streams-'));
  return startJvm(['-cp', `${join(DIR, 'target/classes')}:${join(DIR, 'target/lib')}/*`, 'fan.peers.streams.IncomeStreams'], state, {
    ...process.env,
    ...env,
    STATE_DIR: state,
  });
}

/** The baseline's figures: the last change record of each key, read as a read_committed consumer. */
export async function streamsTotals(kafka: Kafka, topic: string, groupId: string): Promise<IncomeTotals> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(ends.filter((e) => BigInt(e.high) > BigInt(e.low)).map((e) => [e.partition, BigInt(e.high)]));
  const totals: IncomeTotals = { daily: new Map(), weekly: new Map(), balances: new Map() };
  if (remaining.size === 0) return totals;
  const consumer = kafka.consumer({ groupId, readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  // Done when every partition's last record is read. A partition may also end in records of a
  // transaction aborted when the baseline was stopped, which a read_committed reader never sees:
  // so also done when nothing has come for IDLE_MS after the first record.
  const IDLE_MS = 5000;
  let last = 0;
  await new Promise<void>((resolve, reject) => {
    const idle = setInterval(() => {
      if (last > 0 && Date.now() - last > IDLE_MS) {
        clearInterval(idle);
        resolve();
      }
    }, 500);
    consumer
      .run({
        eachMessage: async ({ partition, message }) => {
          last = Date.now();
          const v = JSON.parse(message.value!.toString()) as {
            star_id: string;
            user_id: string;
            crystal_balance?: string;
            daily?: Record<string, string>;
            weekly?: Record<string, string>;
          };
          const pair = `${v.star_id}|${v.user_id}`;
          if (v.crystal_balance !== undefined) totals.balances.set(pair, v.crystal_balance);
          for (const [d, n] of Object.entries(v.daily ?? {})) totals.daily.set(`${pair}|${d}`, n);
          for (const [w, n] of Object.entries(v.weekly ?? {})) totals.weekly.set(`${pair}|${w}`, n);
          // The end is the last offset + 1; a transaction marker may sit at the last offset itself.
          if (BigInt(message.offset) + 2n >= remaining.get(partition)!) remaining.delete(partition);
          if (remaining.size === 0) {
            clearInterval(idle);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return totals;
}

/** Ours: the income aggregator's tables. */
export async function ourTotals(pool: Pool): Promise<IncomeTotals> {
  const q = async (sql: string) => new Map((await pool.query<{ k: string; v: string }>(sql)).rows.map((r) => [r.k, r.v]));
  return {
    daily: await q(`SELECT star_id || '|' || user_id || '|' || day AS k, income::text AS v FROM agg_daily_income`),
    weekly: await q(`SELECT star_id || '|' || user_id || '|' || week AS k, income::text AS v FROM agg_weekly_income`),
    balances: await q(`SELECT star_id || '|' || user_id AS k, balance::text AS v FROM agg_balance`),
  };
}

/** Keys whose figures differ (at most `limit`), per table: empty when both hold the same totals. */
export function totalsDiff(a: IncomeTotals, b: IncomeTotals, limit = 5): string[] {
  const out: string[] = [];
  for (const table of ['daily', 'weekly', 'balances'] as const) {
    const keys = new Set([...a[table].keys(), ...b[table].keys()]);
    for (const k of keys) {
      if (a[table].get(k) !== b[table].get(k)) out.push(`${table} ${k}: ${a[table].get(k)} vs ${b[table].get(k)}`);
      if (out.length >= limit) return out;
    }
  }
  return out;
}
