/**
 * Publishes a file of JSON events, one per line, through the producer library:
 *   npm run publish-ndjson -- events.ndjson
 * Prints accepted/rejected counts; bad lines are reported by line number (the first 1,000, then how
 * many more). Exits 1 if any line was rejected or Kafka did not take every accepted event. Progress
 * goes to stderr (see startProgress). Memory stays flat whatever the file's size: the line reader pauses
 * the file while the loop waits, the tracker holds at most its bound of events, and only the first
 * reasons are kept.
 */
import { createReadStream, statSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { commonConfig, ownSettings } from '@fan/config';
import { createRegistry } from '@fan/event-codec';
import { createKafka } from '@fan/kafka-runner';
import { createLogger, formatBytes, formatCount, startProgress } from '@fan/observability';
import { createPublisher, createTracker, type Tracker } from '@fan/producer';
import { byteLines } from './byte-lines';

export interface PublishFileResult {
  accepted: number;
  rejected: number;
  /** The first `maxErrors` rejected lines; `rejected` counts them all. */
  errors: Array<{ line: number; reason: string }>;
}

export interface PublishFileOptions {
  /** Reasons kept at most (default 1,000): a file of millions of bad lines must not fill the heap. */
  maxErrors?: number;
  /** Called after every line; `bytesRead` is how far into the file reading has got. */
  onProgress?: (p: { accepted: number; rejected: number; bytesRead: number }) => void;
}

export const MAX_LISTED_ERRORS = 1000;

export async function publishFile(path: string, tracker: Tracker, opts: PublishFileOptions = {}): Promise<PublishFileResult> {
  const result: PublishFileResult = { accepted: 0, rejected: 0, errors: [] };
  const maxErrors = opts.maxErrors ?? MAX_LISTED_ERRORS;
  const reject = (line: number, reason: string) => {
    result.rejected++;
    if (result.errors.length < maxErrors) result.errors.push({ line, reason });
  };
  const input = createReadStream(path);
  let n = 0;
  for await (const bytes of byteLines(input)) {
    n++;
    opts.onProgress?.({ accepted: result.accepted, rejected: result.rejected, bytesRead: input.bytesRead });
    // CONTRACT §1: bytes that are not UTF-8 are refused, never read as U+FFFD.
    if (!isUtf8(bytes)) {
      reject(n, 'line is not valid UTF-8');
      continue;
    }
    const line = bytes.toString('utf8');
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      reject(n, `malformed JSON: ${(err as Error).message}`);
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      reject(n, 'event must be a JSON object');
      continue;
    }
    let r = tracker.track(parsed as Record<string, unknown>);
    // A full buffer only means Kafka is behind this file: wait for it instead of rejecting the line.
    while (!r.ok && r.full) {
      await tracker.flush();
      r = tracker.track(parsed as Record<string, unknown>);
    }
    if (r.ok) result.accepted++;
    else reject(n, r.reason);
  }
  await tracker.flush();
  opts.onProgress?.({ accepted: result.accepted, rejected: result.rejected, bytesRead: input.bytesRead });
  return result;
}

const written = (stream: NodeJS.WriteStream, text: string) =>
  new Promise<void>((resolve) => (text === '' ? resolve() : stream.write(text, () => resolve())));

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) {
    console.error('usage: publish-ndjson <file.ndjson>');
    process.exit(2);
  }
  const config = commonConfig();
  const { PROGRESS_INTERVAL_MS } = ownSettings('publish-ndjson');
  const logger = createLogger('publish-ndjson', config.logLevel);
  const kafka = createKafka('publish-ndjson', config.kafkaBrokers, logger, config.kafkaSecurity);
  const publisher = await createPublisher({
    kafka,
    registry: createRegistry(config.registryUrl),
    registryUrl: config.registryUrl,
    topic: config.topics.events,
    activityTopic: config.topics.activity,
  });
  const tracker = createTracker(publisher, logger);
  const size = statSync(path).size;
  const progress = startProgress({ verb: 'published', of: formatBytes(size), intervalMs: PROGRESS_INTERVAL_MS });
  const r = await publishFile(path, tracker, {
    onProgress: (p) =>
      progress.update(p.accepted, size > 0 ? p.bytesRead / size : 1, p.rejected > 0 ? `${formatCount(p.rejected)} rejected` : undefined),
  });
  await tracker.close();
  progress.finish();
  await publisher.close();
  let report = r.errors.map((e) => `line ${e.line}: ${e.reason}\n`).join('');
  if (r.rejected > r.errors.length)
    report += `… and ${r.rejected - r.errors.length} more rejected lines (only the first ${r.errors.length} are listed)\n`;
  // Written out before exiting: on a pipe whose reader lags, process.exit would drop what is queued
  // (a loaded CI run received 294 of 1,000 reasons).
  await written(process.stderr, report);
  await written(process.stdout, `${JSON.stringify({ accepted: r.accepted, rejected: r.rejected })}\n`);
  process.exit(r.rejected > 0 ? 1 : 0);
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(`publish-ndjson: ${err.message}`);
    process.exit(1);
  });
}
