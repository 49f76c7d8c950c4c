/**
 * Is a process's memory growth objects kept, or V8 collecting its old space lazily? Runs one service
 * twice side by side on the same private pipeline, as the soak runs it (NODE_HEAP_MB's bound, half of
 * it as the initial old space) and with a small heap (PROBE_SMALL_HEAP_MB, default 48), under a
 * trickle of events, and prints resident and heap-in-use of both every PROBE_SAMPLE_S seconds for
 * PROBE_MINUTES. Garbage awaiting a major GC grows the first until its limit and never the second;
 * a leak grows both, and the small one until it dies.
 *
 * `npx tsx faults/src/soak/heap-probe.ts` with the stack up (PROBE_SERVICE, default lag-exporter).
 */
import { processEntry } from '@fan/config';
import { createTestPipeline, freePort } from '@fan/test-support';
import { realisticEvents } from '../../../bench/lib/events';

const service = process.env.PROBE_SERVICE ?? 'lag-exporter';
const minutes = Number(process.env.PROBE_MINUTES ?? 20);
const sampleS = Number(process.env.PROBE_SAMPLE_S ?? 15);
const smallMb = Number(process.env.PROBE_SMALL_HEAP_MB ?? 48);

async function main() {
  const p = await createTestPipeline('heap_probe', 6);
  const portVar = processEntry(service as 'lag-exporter').port.variable;
  const variants = [
    { name: `default heap (${process.env.NODE_HEAP_MB ?? 160} MB)`, args: [] as string[] },
    {
      name: `small heap (${smallMb} MB)`,
      args: [`--max-old-space-size=${smallMb}`, `--initial-old-space-size=${Math.floor(smallMb / 2)}`],
    },
  ];
  const running = await Promise.all(
    variants.map(async (v) => {
      const port = await freePort();
      return { ...v, port, proc: p.start(service, { [portVar]: String(port), LOG_LEVEL: 'warn' }, v.args) };
    }),
  );
  const events = realisticEvents(20_000, 5);
  let i = 0;
  const trickle = setInterval(() => {
    const batch = events.slice(i % events.length, (i % events.length) + 100).map((e) => ({ ...e, event_id: `${e.event_id}-${i}` }));
    i += 100;
    void p.publisher.publish(batch).catch(() => undefined);
  }, 1000);
  const started = Date.now();
  console.log(`minute\t${running.map((r) => `${r.name} rss/heap MB`).join('\t')}`);
  while (Date.now() - started < minutes * 60_000) {
    await new Promise((r) => setTimeout(r, sampleS * 1000));
    const cells = await Promise.all(
      running.map(async (r) => {
        const t = await fetch(`http://127.0.0.1:${r.port}/metrics`)
          .then((x) => x.text())
          .catch(() => '');
        const mb = (m: string) => Number(new RegExp(`^${m}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(t)?.[1] ?? NaN) / 1048576;
        return `${mb('process_resident_memory_bytes').toFixed(1)}/${mb('nodejs_heap_size_used_bytes').toFixed(1)}`;
      }),
    );
    console.log(`${((Date.now() - started) / 60_000).toFixed(1)}\t${cells.join('\t')}`);
  }
  clearInterval(trickle);
  for (const r of running) {
    if (r.proc.child.exitCode !== null) console.log(`${r.name} exited ${r.proc.child.exitCode}:\n${r.proc.output().slice(-2000)}`);
    await r.proc.stop();
  }
  await p.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
