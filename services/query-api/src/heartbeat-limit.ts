export interface HeartbeatLimitOptions {
  /** One heartbeat per (user, install) is accepted per this many ms (QUERY_HEARTBEAT_MIN_INTERVAL_SECONDS). */
  intervalMs: number;
  /** Distinct installs of one user accepted per interval: a token cannot dodge the limit by inventing install ids. */
  installsPerUser: number;
  /** Users remembered at once; past it the one who heartbeated longest ago is forgotten (bounds memory). */
  maxUsers: number;
  /** Monotonic ms (performance.now): CLOCK_NOW pins the dashboard's "now", never this. */
  now: () => number;
}

export type HeartbeatVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Recent {
  installs: string[];
  at: number[];
  /** When the latest heartbeat of this user was accepted: the map is in this order. */
  last: number;
}

/**
 * Which signed-in heartbeats to publish. Apps send one every 60 s, so one per (user, install)
 * every intervalMs leaves room for retries while a looping client (4,640 in 3 s from one token,
 * each a Kafka event) is answered 429 without reaching Kafka. Memory is bounded twice: a user's
 * entry holds at most installsPerUser installs and goes once its latest heartbeat is intervalMs
 * old (the map is ordered by that instant, so the sweep stops at the first entry still young),
 * and at most maxUsers entries are kept whatever the rate. Pure: the clock is passed in.
 */
export function createHeartbeatLimit(o: HeartbeatLimitOptions) {
  const byUser = new Map<string, Recent>();

  const sweep = (now: number): void => {
    for (const [user, r] of byUser) {
      if (now - r.last < o.intervalMs) break;
      byUser.delete(user);
    }
  };

  return {
    /** Accepts (and records) the heartbeat, or says how long until this install may send again. */
    take(user: string, install: string): HeartbeatVerdict {
      const now = o.now();
      sweep(now);
      let r = byUser.get(user);
      if (r) {
        // Drop what is older than the interval, keeping the order of arrival.
        let keep = 0;
        while (keep < r.at.length && now - r.at[keep]! >= o.intervalMs) keep++;
        if (keep > 0) {
          r.installs.splice(0, keep);
          r.at.splice(0, keep);
        }
        const i = r.installs.indexOf(install);
        if (i >= 0) return { ok: false, retryAfterSeconds: Math.ceil((r.at[i]! + o.intervalMs - now) / 1000) };
        if (r.installs.length >= o.installsPerUser)
          return { ok: false, retryAfterSeconds: Math.ceil((r.at[0]! + o.intervalMs - now) / 1000) };
        byUser.delete(user); // re-inserted last: the map stays ordered by `last`
      } else {
        if (byUser.size >= o.maxUsers) byUser.delete(byUser.keys().next().value!);
        r = { installs: [], at: [], last: now };
      }
      r.installs.push(install);
      r.at.push(now);
      r.last = now;
      byUser.set(user, r);
      return { ok: true };
    },
    /** Forgets an accepted heartbeat that was not published (503), so the app's retry is not refused. */
    release(user: string, install: string): void {
      const r = byUser.get(user);
      const i = r ? r.installs.indexOf(install) : -1;
      if (i < 0) return;
      r!.installs.splice(i, 1);
      r!.at.splice(i, 1);
    },
    get users(): number {
      return byUser.size;
    },
  };
}
export type HeartbeatLimit = ReturnType<typeof createHeartbeatLimit>;
