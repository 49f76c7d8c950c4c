import { Partitioners, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import { eventKey, identityOf, isActivityType, type ActivityEvent, type AnyEvent, type DashboardEvent } from '@fan/events';
import { retry } from '@fan/failures';
import { createEncoder, lookupSchemaIds, RegistryUnavailableError, type Encoder, type SchemaRegistry } from '@fan/event-codec';

/** Upper bound on records gathered into one produce request. */
const MAX_MESSAGES_PER_REQUEST = 5000;

export interface PublisherParts {
  kafka: Kafka;
  registry: SchemaRegistry;
  registryUrl: string;
  topic: string;
  /**
   * Where app activity goes (sessions, heartbeats; CONTRACT §5), keyed by identity. Without it,
   * publishing an activity event fails.
   */
  activityTopic?: string;
  /** Events waiting for their turn, at most (default 50,000); beyond it publish() fails at once. */
  maxWaitingEvents?: number;
}

export interface PublishOptions {
  /**
   * Give up after this long. Events still waiting their turn are withdrawn and never sent, so a
   * caller told "failed" is not contradicted later. Events already in a produce request may still
   * be stored by Kafka: PublishTimeoutError says which case it was (`sent`); re-publishing with the
   * same event_id is always safe, the consumers de-duplicate on it.
   */
  timeoutMs?: number;
}

export class PublishTimeoutError extends Error {
  constructor(
    readonly sent: boolean,
    ms: number,
  ) {
    super(
      sent
        ? `Kafka did not acknowledge within ${ms} ms; the events may still be stored (re-send with the same event_id)`
        : `not sent within ${ms} ms (withdrawn, nothing stored)`,
    );
    this.name = 'PublishTimeoutError';
  }
}

export interface Publisher {
  /** Resolves once Kafka (acks=all) has every event; rejects if any was not taken. */
  publish(events: readonly AnyEvent[], opts?: PublishOptions): Promise<void>;
  close(): Promise<void>;
}

/**
 * Schema ids of this build, looked up (never registered: `npm run schemas:register` does that once).
 * A registry that is still starting is waited for up to 30 s; a missing subject stops the caller
 * with a message naming it and the command to run.
 */
function lookupIdsWaiting(registryUrl: string) {
  return retry(() => lookupSchemaIds(registryUrl), {
    retryable: (err) => err instanceof RegistryUnavailableError,
    giveUpAfterMs: 30_000,
    initialDelayMs: 250,
    maxDelayMs: 4000,
  });
}

/**
 * The one place events are encoded and sent. Idempotent producer (acks=all, one request in flight)
 * so that kafkajs' own retries never write a record twice or out of order.
 */
export async function createPublisher(parts: PublisherParts): Promise<Publisher> {
  const ids = await lookupIdsWaiting(parts.registryUrl);
  const encode: Encoder = createEncoder(parts.registry, ids);
  const producer: Producer = parts.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();

  // One produce request in flight (idempotence keeps order that way); calls that arrive meanwhile
  // are gathered, in call order, into the next request. Handing concurrent calls straight to
  // kafkajs does not keep their order (publisher.test.ts fails that way), and gathering costs
  // no throughput (A/B in docs/BENCHMARKS.md). Every caller resolves only when its own events
  // are acknowledged.
  type Routed = Message & { topic: string };
  type Waiting = { messages: Routed[]; resolve: () => void; reject: (err: Error) => void; sent: boolean };
  const waiting: Waiting[] = [];
  const maxWaiting = parts.maxWaitingEvents ?? 50_000;
  let waitingEvents = 0;
  let inFlight = false;
  let closed = false;
  // kafkajs' send can throw synchronously (e.g. while disconnecting); as a rejection it reaches the
  // callers instead of leaving `inFlight` set and every later call waiting forever.
  // One produce request for every topic in the group; order within each topic is call order.
  const send = (messages: Routed[]) =>
    Promise.resolve().then(() => {
      const byTopic = new Map<string, TopicMessages>();
      for (const m of messages) {
        let t = byTopic.get(m.topic);
        if (!t) byTopic.set(m.topic, (t = { topic: m.topic, messages: [] }));
        t.messages.push(m);
      }
      return producer.sendBatch({ acks: -1, topicMessages: [...byTopic.values()] });
    });
  const route = (e: AnyEvent, value: Buffer): Routed => {
    if (!isActivityType(e.event_type)) return { topic: parts.topic, key: eventKey(e as DashboardEvent), value };
    if (!parts.activityTopic) throw new Error(`${e.event_type}: this publisher has no activity topic`);
    return { topic: parts.activityTopic, key: identityOf(e as ActivityEvent), value };
  };
  const pump = () => {
    if (inFlight || waiting.length === 0) return;
    const group: Waiting[] = [];
    let count = 0;
    while (waiting.length > 0 && (group.length === 0 || count + (waiting[0] as Waiting).messages.length <= MAX_MESSAGES_PER_REQUEST)) {
      const w = waiting.shift() as Waiting;
      w.sent = true;
      waitingEvents -= w.messages.length;
      group.push(w);
      count += w.messages.length;
    }
    inFlight = true;
    send(group.length === 1 ? (group[0] as Waiting).messages : group.flatMap((w) => w.messages))
      .then(
        () => group.forEach((w) => w.resolve()),
        (err: Error) => group.forEach((w) => w.reject(err)),
      )
      .finally(() => {
        inFlight = false;
        pump();
      });
  };

  return {
    async publish(events, opts = {}) {
      if (events.length === 0) return;
      if (waitingEvents + events.length > maxWaiting)
        throw new Error(
          `publisher queue full (${waitingEvents} events waiting for Kafka): ${events.length} more would exceed its ${maxWaiting}; publish fewer at a time or wait`,
        );
      const messages: Routed[] = [];
      for (const e of events) {
        const value = encode(e);
        messages.push(route(e, value instanceof Promise ? await value : value));
      }
      await new Promise<void>((resolve, reject) => {
        if (closed) return reject(new Error('publisher closed before Kafka acknowledged'));
        let timer: NodeJS.Timeout | undefined;
        const entry: Waiting = {
          messages,
          sent: false,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (err) => {
            clearTimeout(timer);
            reject(err);
          },
        };
        if (opts.timeoutMs !== undefined) {
          const ms = opts.timeoutMs;
          timer = setTimeout(() => {
            const at = waiting.indexOf(entry);
            if (at >= 0) {
              waiting.splice(at, 1);
              waitingEvents -= messages.length;
            }
            reject(new PublishTimeoutError(entry.sent, ms));
          }, ms);
        }
        waiting.push(entry);
        waitingEvents += messages.length;
        pump();
      });
    },
    close: async () => {
      closed = true;
      waitingEvents = 0;
      for (const w of waiting.splice(0)) w.reject(new Error('publisher closed before Kafka acknowledged'));
      await producer.disconnect();
    },
  };
}
