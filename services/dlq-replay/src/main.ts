/**
 * npm run dlq:replay -- [--dry-run] [--reason "<prefix>"] [--origin <topic>]
 * Replays the dead-letter topic into the topics its records came from. See docs/RUNBOOK.md.
 */
import { commonConfig, ownSettings } from '@fan/config';
import { createKafka } from '@fan/kafka-runner';
import { createLogger, exitOnFatal, formatCount, startProgress, type ProgressReporter } from '@fan/observability';
import { replayDeadLetters } from './replay';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const common = commonConfig();
  const { DLQ_REPLAY_GROUP_ID, PROGRESS_INTERVAL_MS } = ownSettings('dlq-replay');
  const logger = createLogger('dlq-replay', common.logLevel);
  const dryRun = process.argv.includes('--dry-run');
  let progress: ProgressReporter | undefined;
  const r = await replayDeadLetters(createKafka('dlq-replay', common.kafkaBrokers, logger, common.kafkaSecurity), {
    deadLetterTopic: common.topics.deadLetter,
    groupId: dryRun ? `${DLQ_REPLAY_GROUP_ID}-dry-run-${Date.now()}` : DLQ_REPLAY_GROUP_ID,
    // A dry run counts from where the real replay stopped: what a replay now would send.
    startFromGroup: DLQ_REPLAY_GROUP_ID,
    reasonPrefix: arg('--reason'),
    originTopic: arg('--origin'),
    dryRun,
    onProgress: ({ read, total, result }) => {
      progress ??= startProgress({ verb: dryRun ? 'dry run: read' : 'replay: read', unit: 'rec', total, intervalMs: PROGRESS_INTERVAL_MS });
      const counts = `${formatCount(result.replayed)} ${dryRun ? 'to replay' : 'replayed'}, ${formatCount(result.skipped + result.duplicates)} skipped`;
      progress.update(read, undefined, counts);
    },
  });
  progress?.finish();
  console.log(JSON.stringify({ dryRun, ...r }));
}

main().catch(exitOnFatal('dlq-replay'));
