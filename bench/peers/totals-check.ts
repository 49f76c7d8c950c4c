/**
 * The baselines' first duty: the same answers. Publishes PEERS_EVENTS (default 20,000) realistic
 * events, 5 % of them sent twice, to a private 12-partition topic; runs our income aggregator and
 * the Kafka Streams baseline over it; compares every daily, weekly and balance figure. Exits 1 on
 * any difference. `npx tsx bench/peers/totals-check.ts` with the stack up.
 */
import { createTestPipeline, stackEnv, uniqueName, waitFor } from '@fan/test-support';
import { publishBacklog } from './backlog';
import { buildIncomeStreams, ourTotals, startIncomeStreams, streamsTotals, totalsDiff } from './income-streams';

async function main() {
  const n = Number(process.env.PEERS_EVENTS ?? 20_000);
  buildIncomeStreams();
  const p = await createTestPipeline('peers_check', 12);
  try {
    const { events, resent } = await publishBacklog(p, n, 11);
    const changes = `${p.topics.prefix}.peer-changes`;
    await p.topics.admin.createTopics({ topics: [{ topic: changes, numPartitions: 12, replicationFactor: 1 }], waitForLeaders: true });

    const ours = p.start('income-aggregator', { LOG_LEVEL: 'warn' });
    await p.caughtUp('INCOME_AGG_GROUP_ID', p.topics.topics.events, 300_000);
    await ours.stop();

    const appId = uniqueName('peer-streams');
    const streams = startIncomeStreams({
      KAFKA_BROKERS: stackEnv().KAFKA_BROKERS,
      SCHEMA_REGISTRY_URL: stackEnv().SCHEMA_REGISTRY_URL,
      EVENTS_TOPIC: p.topics.topics.events,
      CHANGES_TOPIC: changes,
      APPLICATION_ID: appId,
      BUSINESS_TZ: 'Asia/Shanghai',
    });
    try {
      // Kafka Streams commits its input offsets under the application id, as a consumer group.
      await waitFor(
        'the baseline committed every record',
        async () => {
          if (streams.child.exitCode !== null) throw new Error(`the baseline exited:\n${streams.output().slice(-3000)}`);
          const ends = await p.topics.admin.fetchTopicOffsets(p.topics.topics.events);
          const [c] = await p.topics.admin.fetchOffsets({ groupId: appId, topics: [p.topics.topics.events] });
          const at = new Map(c!.partitions.map((x) => [x.partition, BigInt(x.offset)]));
          return ends.every((e) => BigInt(e.high) === BigInt(e.low) || (at.get(e.partition) ?? -1n) >= BigInt(e.high)) ? true : undefined;
        },
        300_000,
        200,
      );
      // Its last announcements are committed with the next EOS commit (100 ms).
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      await streams.stop();
    }
    console.log(
      streams
        .output()
        .split('\n')
        .filter((l) => l.includes('processed='))
        .slice(-1)[0],
    );
    const a = await ourTotals(p.db.pool);
    const b = await streamsTotals(p.topics.kafka, changes, uniqueName('peer-read'));
    const diff = totalsDiff(a, b);
    console.log(
      `RESULT events=${events.length} resent=${resent.length} daily=${a.daily.size}/${b.daily.size} weekly=${a.weekly.size}/${b.weekly.size} balances=${a.balances.size}/${b.balances.size} differences=${diff.length}`,
    );
    for (const d of diff) console.log(`  ${d}`);
    if (diff.length) process.exitCode = 1;
  } finally {
    await p.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
