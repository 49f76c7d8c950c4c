import { READS } from '@fan/read-contract';
import { oracle, type OracleEvent } from './oracle';

export interface Diff {
  read: string;
  star: string;
  user: string;
  expected: unknown;
  actual: unknown;
}

type Get = (read: string, user: string, star: string) => Promise<unknown>;

/** Every read of every (star, user) of the load, pipeline against oracle. */
export async function compareAll(events: OracleEvent[], now: number, tz: string, get: Get): Promise<{ compared: number; diffs: Diff[] }> {
  const o = oracle(events, now, tz);
  const pairs = [...new Set(events.map((e) => `${e.star_id}|${e.user_id}`))].map((k) => k.split('|') as [string, string]);
  const diffs: Diff[] = [];
  let compared = 0;
  for (const [star, user] of pairs) {
    for (const read of READS) {
      const expected = o[read](star, user);
      const actual = await get(read, user, star);
      compared++;
      if (JSON.stringify(actual) !== JSON.stringify(expected)) diffs.push({ read, star, user, expected, actual });
    }
  }
  return { compared, diffs };
}
