/**
 * Topic layout (docs/ARCHITECTURE.md): every event type shares one topic so that one user's events
 * for one star keep their relative order (a mint before its likes, a start before its end); the key
 * (eventKey in @fan/events) is "<star_id>:<user_id>", so all of them land on one partition.
 */
export interface Topics {
  events: string;
  /** Aggregate changes written by the aggregators for the cache invalidator (JSON, keyed by star). */
  changes: string;
  /** Records any consumer could not decode or validate; the origin topic is in the headers. */
  deadLetter: string;
  /** App activity (sessions, heartbeats), keyed by identity (identityOf in @fan/events). */
  activity: string;
}

export function topicsFor(prefix: string): Topics {
  return { events: `${prefix}.events`, changes: `${prefix}.changes`, deadLetter: `${prefix}.dlq`, activity: `${prefix}.activity` };
}
