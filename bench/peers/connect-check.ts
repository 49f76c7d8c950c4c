/**
 * The Connect baseline's first duty: the same rows. Publishes PEERS_EVENTS (default 20,000) realistic
 * events, 5 % of them sent twice, to a private 12-partition topic; runs our raw sink and a Kafka
 * Connect JDBC sink over it; compares every stored event (id, user, star, instant). Exits 1 on any
 * difference. `npx tsx bench/peers/connect-check.ts` with the stack up.
 */
import { createTestPipeline, waitFor } from '@fan/test-support';
import { publishBacklog } from './backlog';
import { buildConnectPlugins, connectTableDdl, startConnectOn } from './raw-connect';

async function main() {
  const n = Number(process.env.PEERS_EVENTS ?? 20_000);
  buildConnectPlugins();
  const p = await createTestPipeline('peers_connect', 12);
  try {
    const { events, resent } = await publishBacklog(p, n, 12);
    const unique = new Set(events.map((e) => e.event_id)).size;

    const ours = p.start('raw-sink', { LOG_LEVEL: 'warn' });
    await p.caughtUp('RAW_SINK_GROUP_ID', p.topics.topics.events, 300_000);
    await ours.stop();

    const table = 'connect_raw_events';
    await p.db.pool.query(connectTableDdl(table));
    const connect = startConnectOn(p, table);
    try {
      await waitFor(
        'the Connect sink stored every event',
        async () => {
          if (connect.child.exitCode !== null) throw new Error(`Connect exited:\n${connect.output().slice(-3000)}`);
          const r = await p.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`).catch(() => ({ rows: [{ n: 0 }] }));
          return r.rows[0]!.n >= unique ? true : undefined;
        },
        300_000,
        500,
      );
    } catch (err) {
      console.error(connect.output().slice(-5000));
      throw err;
    } finally {
      await connect.stop();
    }
    const rows = async (sql: string) => new Set((await p.db.pool.query<{ k: string }>(sql)).rows.map((r) => r.k));
    const a = await rows(
      `SELECT event_id || '|' || user_id || '|' || star_id || '|' || (extract(epoch FROM occurred_at) * 1000)::bigint AS k FROM raw_events`,
    );
    const b = await rows(`SELECT event_id || '|' || user_id || '|' || star_id || '|' || occurred_at AS k FROM ${table}`);
    const diff = [...a].filter((k) => !b.has(k)).concat([...b].filter((k) => !a.has(k)));
    const columns = (
      await p.db.pool.query<{ c: string }>(
        `SELECT column_name AS c FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
        [table],
      )
    ).rows.map((r) => r.c);
    console.log(`connect table columns: ${columns.join(', ')}`);
    console.log(`RESULT events=${events.length} resent=${resent.length} ours=${a.size} connect=${b.size} differences=${diff.length}`);
    for (const d of diff.slice(0, 5)) console.log(`  ${d}`);
    if (diff.length) process.exitCode = 1;
  } finally {
    await p.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
