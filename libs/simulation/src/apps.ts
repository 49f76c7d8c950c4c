import type { Emit } from './world';

const PLACES = [
  ['Guangdong', 'Shenzhen'],
  ['Guangdong', 'Guangzhou'],
  ['Beijing', 'Beijing'],
  ['Shanghai', 'Shanghai'],
  ['Zhejiang', 'Hangzhou'],
  ['Sichuan', 'Chengdu'],
] as const;

interface Install {
  id: string;
  user?: string;
  place: (typeof PLACES)[number];
  online: boolean;
  lastBeat: number;
}

/**
 * App installs of a fan economy: sessions that start (from a province and city), heartbeats every
 * `beatMs` while in the foreground, and sessions that end; some installs sign in to a user.
 */
export class Apps {
  private readonly installs: Install[];

  constructor(
    users: readonly string[],
    count: number,
    private readonly random: () => number = Math.random,
    private readonly beatMs = 60_000,
  ) {
    this.installs = Array.from({ length: count }, (_, i) => ({
      id: `demo-install-${i}`,
      user: i % 3 === 0 ? undefined : users[i % users.length],
      place: PLACES[i % PLACES.length]!,
      online: false,
      lastBeat: 0,
    }));
  }

  /** One tick at instant `at`: some installs start or end a session, the online ones beat. */
  step(emit: Emit, at: number): void {
    for (const a of this.installs) {
      const base = { install_id: a.id, ...(a.user ? { user_id: a.user } : {}), occurred_at: at };
      if (!a.online && this.random() < 0.02) {
        a.online = true;
        a.lastBeat = at;
        emit({
          ...base,
          event_type: 'app.session_start',
          properties: { os: 'iOS', app_version: '3.2.0', network_type: 'wifi', province: a.place[0], city: a.place[1] },
        });
      } else if (a.online && this.random() < 0.01) {
        a.online = false;
        emit({ ...base, event_type: 'app.session_end' });
      } else if (a.online && at - a.lastBeat >= this.beatMs) {
        a.lastBeat = at;
        emit({ ...base, event_type: 'presence.heartbeat', properties: { app_version: '3.2.0' } });
      }
    }
  }
}
