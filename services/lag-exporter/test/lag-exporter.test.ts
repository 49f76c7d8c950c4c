import { createTestTopics, freePort, startService, uniqueName, waitFor, type TestTopics } from '@fan/test-support';

/** The exporter against the real broker: committed offsets of a group against the topics' end offsets. */
describe('lag exporter', () => {
  let t: TestTopics;
  beforeAll(async () => {
    t = await createTestTopics(3);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('exports end offset minus committed offset per group and partition, for every group the consumers configure', async () => {
    const raw = uniqueName('raw');
    const producer = t.kafka.producer();
    await producer.connect();
    await producer.send({ topic: t.topics.events, messages: Array.from({ length: 10 }, (_, i) => ({ partition: 0, value: `a${i}` })) });
    await producer.send({ topic: t.topics.events, messages: Array.from({ length: 5 }, (_, i) => ({ partition: 1, value: `b${i}` })) });
    await producer.disconnect();
    await t.admin.setOffsets({ groupId: raw, topic: t.topics.events, partitions: [{ partition: 0, offset: '4' }] });
    const asset = uniqueName('asset');
    await t.admin.setOffsets({ groupId: asset, topic: t.topics.events, partitions: [{ partition: 0, offset: '9' }] });

    const port = await freePort();
    const groups = { income: uniqueName('income'), inv: uniqueName('inv'), presence: uniqueName('presence') };
    const exporter = startService('lag-exporter', {
      TOPIC_PREFIX: t.prefix,
      LAG_EXPORTER_PORT: String(port),
      LAG_EXPORTER_POLL_MS: '500',
      RAW_SINK_GROUP_ID: raw,
      INCOME_AGG_GROUP_ID: groups.income,
      ASSET_AGG_GROUP_ID: asset,
      ASSET_AGG_FROM_BEGINNING: 'false',
      INVALIDATOR_GROUP_ID: groups.inv,
      PRESENCE_AGG_GROUP_ID: groups.presence,
    });
    try {
      const lines = await waitFor(
        'lag figures',
        async () => {
          const body = await (await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined))?.text();
          const found = (body ?? '').split('\n').filter((l) => l.startsWith('pipeline_group_lag{'));
          return found.length > 0 ? found : undefined;
        },
        30_000,
        250,
      );
      const lag = Object.fromEntries(
        lines.map((l) => {
          const m = /group="([^"]+)",topic="([^"]+)",partition="(\d)",service="lag-exporter"\} (\d+)/.exec(l)!;
          return [`${m[1]} ${m[2]}[${m[3]}]`, Number(m[4])];
        }),
      );
      const { events } = t.topics;
      expect(lag).toEqual({
        // 10 records, 4 committed; nothing committed on 1 (reads from the beginning: all 5); 2 is empty.
        [`${raw} ${events}[0]`]: 6,
        [`${raw} ${events}[1]`]: 5,
        [`${raw} ${events}[2]`]: 0,
        // Read from the end (ASSET_AGG_FROM_BEGINNING=false): an uncommitted partition has nothing behind it.
        [`${asset} ${events}[0]`]: 1,
        [`${asset} ${events}[1]`]: 0,
        [`${asset} ${events}[2]`]: 0,
        // The income, invalidator and presence groups never committed here: not reported.
      });
      expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({
        status: 'ok',
        checks: { kafka: { ok: true }, poll: { ok: true } },
      });

      // The group moves on: the next poll shows it.
      await t.admin.setOffsets({ groupId: raw, topic: t.topics.events, partitions: [{ partition: 0, offset: '10' }] });
      await waitFor(
        'partition 0 caught up',
        async () =>
          (await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).includes(
            `group="${raw}",topic="${events}",partition="0",service="lag-exporter"} 0`,
          ),
        10_000,
        250,
      );
      expect(await exporter.stop()).toBe(0);
    } finally {
      await exporter.stop();
      await t.admin.deleteGroups([raw, asset]).catch(() => undefined);
    }
  });
});
