import { businessDate, identityOf, type ActivityEvent } from '@fan/events';

export interface PresenceRows {
  /** One row per event: what "online at T" is computed from. */
  activity: Array<{ identity: string; at: string; eventId: string; ended: boolean }>;
  /** (day, identity) of every session start, de-duplicated within the chunk. */
  active: Map<string, { day: string; identity: string }>;
  /** (day, kind, name, identity) of every session start with a province or city. */
  geo: Map<string, { day: string; kind: 'province' | 'city'; name: string; identity: string }>;
}

/**
 * A chunk of fresh activity events → the rows to insert. Pure; order-independent (every row is a
 * fact keyed by what it says, inserted with ON CONFLICT DO NOTHING), so out-of-order and repeated
 * events give the same tables.
 */
export function foldPresence(events: readonly ActivityEvent[], tz: string): PresenceRows {
  const out: PresenceRows = { activity: [], active: new Map(), geo: new Map() };
  for (const e of events) {
    const identity = identityOf(e);
    out.activity.push({
      identity,
      at: new Date(Number(e.occurred_at)).toISOString(),
      eventId: e.event_id,
      ended: e.event_type === 'app.session_end',
    });
    if (e.event_type !== 'app.session_start') continue;
    const day = businessDate(e.occurred_at, tz);
    out.active.set(`${day}|${identity}`, { day, identity });
    for (const kind of ['province', 'city'] as const) {
      const name = e.properties[kind];
      if (name) out.geo.set(`${day}|${kind}|${name}|${identity}`, { day, kind, name, identity });
    }
  }
  return out;
}
