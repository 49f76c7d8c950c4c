/**
 * What a failure means, in one vocabulary (docs/RELIABILITY.md):
 *
 * - `transient`: the world is briefly wrong (a dependency down, a lock lost): retry with backoff.
 * - `poison`: the record in hand can never be applied: dead-letter it with the reason, go on.
 * - `fatal`: retrying cannot help and the record is not at fault (a schema an operator has not
 *   registered, a request the registry refuses, the process stopping): give up and say why.
 *
 * Our own errors declare theirs (`fault`); what others throw (Postgres, kafkajs, sockets) is
 * classified by kafka-runner's classifyError, the one place that reads their codes and messages.
 */
export type Fault = 'transient' | 'poison' | 'fatal';

/** The fault an error of ours declares, if it is one. */
export function declaredFault(err: unknown): Fault | undefined {
  const f = (err as { fault?: unknown } | null)?.fault;
  return f === 'transient' || f === 'poison' || f === 'fatal' ? f : undefined;
}

/** A record that can never be decoded or validated: it goes to the dead-letter topic, not back to retry. */
export class PoisonRecordError extends Error {
  readonly fault = 'poison';
  constructor(message: string) {
    super(message);
    this.name = 'PoisonRecordError';
  }
}

/** A retry loop gave up because the process is shutting down. */
export class StopRequestedError extends Error {
  readonly fault = 'fatal';
  constructor() {
    super('stop requested while retrying');
    this.name = 'StopRequestedError';
  }
}
