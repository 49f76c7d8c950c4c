/**
 * Publishes a file of JSON events, one per line, through the producer library:
 *   npm run publish-ndjson -- events.ndjson
 * Prints accepted/rejected counts; bad lines are reported by line number. Exits 1 if any line was
 * rejected or Kafka did not take every accepted event.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { commonConfig } from '@fan/config';
import { createRegistry } from '@fan/event-codec';
import { createKafka } from '@fan/kafka-runner';
import { createLogger } from '@fan/observability';
import { createPublisher, createTracker, type Tracker } from '@fan/producer';

export interface PublishFileResult {
  accepted: number;
  rejected: number;
  errors: Array<{ line: number; reason: string }>;
}

export async function publishFile(path: string, tracker: Tracker): Promise<PublishFileResult> {
  const result: PublishFileResult = { accepted: 0, rejected: 0, errors: [] };
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      result.errors.push({ line: n, reason: `malformed JSON: ${(err as Error).message}` });
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      result.errors.push({ line: n, reason: 'event must be a JSON object' });
      continue;
    }
    let r = tracker.track(parsed as Record<string, unknown>);
    // A full buffer only means Kafka is behind this file: wait for it instead of rejecting the line.
    while (!r.ok && r.reason.startsWith('buffer full')) {
      await tracker.flush();
      r = tracker.track(parsed as Record<string, unknown>);
    }
    if (r.ok) result.accepted++;
    else result.errors.push({ line: n, reason: r.reason });
  }
  await tracker.flush();
  result.rejected = result.errors.length;
  return result;
}

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) {
    console.error('usage: publish-ndjson <file.ndjson>');
    process.exit(2);
  }
  const config = commonConfig();
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
  const r = await publishFile(path, tracker);
  await tracker.close();
  await publisher.close();
  for (const e of r.errors) console.error(`line ${e.line}: ${e.reason}`);
  console.log(JSON.stringify({ accepted: r.accepted, rejected: r.rejected }));
  process.exit(r.rejected > 0 ? 1 : 0);
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(`publish-ndjson: ${err.message}`);
    process.exit(1);
  });
}
