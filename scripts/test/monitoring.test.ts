import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { dropDatabase } from '@fan/migrations';
import { deleteTopicsOf, freePort, uniqueName, waitFor } from '@fan/test-support';
import { healthy, interruptAndWait, kill, listening, npmStart } from './npm-start';

/**
 * MONITORING=true npm start: Prometheus (with deploy/prometheus/alerts.yml as it is) and Alertmanager
 * from Debian's packages scrape every process; an aggregator frozen under light load (SIGSTOP: its
 * metrics vanish, as when it is gone) is seen by the broker-side lag and ConsumerLagGrowing fires.
 */
const ROOT = join(__dirname, '../..');

interface PromAlert {
  labels: Record<string, string>;
  state: string;
}
const json = async <T>(url: string) => (await (await fetch(url)).json()) as T;
/** The pid listening on a port (the frozen aggregator is one of npm start's children, found by its port). */
const pidOn = (port: number) => Number(/pid=(\d+)/.exec(execFileSync('ss', ['-ltnpH', `sport = :${port}`]).toString())![1]);

describe('MONITORING=true npm start', () => {
  it('scrapes every process it started; an aggregator stopped under load fires ConsumerLagGrowing in Prometheus and Alertmanager', async () => {
    const tag = uniqueName('mon');
    const dbUrl = `postgres://postgres@127.0.0.1:5432/db_${tag}`;
    const monDir = join(ROOT, '.local', `monitoring-${tag}`);
    let rawPort = await freePort();
    while (await listening(rawPort + 100)) rawPort = await freePort();
    const ports = {
      RAW_SINK_HEALTH_PORT: rawPort,
      INCOME_AGG_HEALTH_PORT: await freePort(),
      LAG_EXPORTER_PORT: await freePort(),
      INGEST_PORT: await freePort(),
    };
    const prometheus = await freePort();
    const alertmanager = await freePort();
    const groups = { raw: `${tag}-raw`, income: `${tag}-income` };
    const started = npmStart({
      MONITORING: 'true',
      SERVICES: 'raw-sink income-aggregator lag-exporter ingest',
      REPLICAS: 'raw-sink=2',
      DEMO_TRAFFIC: 'false',
      TOPIC_PREFIX: tag,
      DATABASE_URL: dbUrl,
      RAW_SINK_GROUP_ID: groups.raw,
      INCOME_AGG_GROUP_ID: groups.income,
      PROMETHEUS_PORT: String(prometheus),
      ALERTMANAGER_PORT: String(alertmanager),
      MONITORING_DIR: monDir,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    });
    const prom = `http://127.0.0.1:${prometheus}`;
    const am = `http://127.0.0.1:${alertmanager}`;
    let load: NodeJS.Timeout | undefined;
    let frozen: number | undefined;
    try {
      await waitFor(
        'every process healthy and Prometheus scraping all five',
        async () => {
          if (!(await Promise.all([...Object.values(ports), rawPort + 100].map(healthy))).every(Boolean)) return false;
          const t = await json<{ data: { activeTargets: Array<{ labels: { job: string; instance: string }; health: string }> } }>(
            `${prom}/api/v1/targets`,
          ).catch(() => undefined);
          const up = t?.data.activeTargets.filter((x) => x.health === 'up') ?? [];
          return up.length === 5 ? t!.data.activeTargets : undefined;
        },
        300_000,
        1000,
      )
        .then((targets) =>
          // Every instance npm start ran, the REPLICAS extra included, and nothing else.
          expect(targets.map((x) => `${x.labels.job} ${x.labels.instance}`).sort()).toEqual(
            [
              `income-aggregator 127.0.0.1:${ports.INCOME_AGG_HEALTH_PORT}`,
              `ingest 127.0.0.1:${ports.INGEST_PORT}`,
              `lag-exporter 127.0.0.1:${ports.LAG_EXPORTER_PORT}`,
              `raw-sink 127.0.0.1:${rawPort + 100}`,
              `raw-sink 127.0.0.1:${rawPort}`,
            ].sort(),
          ),
        )
        .catch((err: Error) => {
          throw new Error(`${err.message}\n--- npm start output ---\n${started.output().slice(-4000)}`);
        });
      expect(started.output()).toContain(`Prometheus        ${prom}/alerts`);
      expect(started.output()).toContain(`Alertmanager      ${am}/#/alerts`);
      // The rules loaded are the repository's file, unchanged.
      const rules = await json<{ data: { groups: Array<{ file: string; rules: Array<{ name: string }> }> } }>(`${prom}/api/v1/rules`);
      expect(rules.data.groups.map((g) => g.file)).toEqual([join(ROOT, 'deploy/prometheus/alerts.yml')]);
      expect(rules.data.groups[0]!.rules.map((r) => r.name)).toContain('ConsumerLagGrowing');

      // Light load: 30 events a second through the HTTP ingest, spread over the partitions.
      let n = 0;
      let accepted = 0;
      const send = async () => {
        const events = Array.from({ length: 30 }, () => {
          n += 1;
          return {
            event_id: `${tag}-${n}`,
            event_type: 'asset.like',
            user_id: String(1_000_000 + (n % 97)),
            star_id: '7',
            occurred_at: Date.now() - 60_000,
            properties: { asset_id: String(9_000_000 + (n % 13)), liker_user_id: '42', amount: 1 },
          };
        });
        const res = await fetch(`http://127.0.0.1:${ports.INGEST_PORT}/v1/events/batch`, {
          method: 'POST',
          headers: { authorization: 'Bearer dev-ingest-token', 'content-type': 'application/json' },
          body: JSON.stringify({ events }),
        }).catch(() => undefined);
        if (res?.status === 200) accepted += ((await res.json()) as { accepted: number }).accepted;
      };
      load = setInterval(() => void send(), 1000);

      // Both groups keep up while they run: their broker-side lag is in Prometheus, and small.
      const lagOf = async (group: string) => {
        const r = await json<{ data: { result: Array<{ value: [number, string] }> } }>(
          `${prom}/api/v1/query?query=${encodeURIComponent(`group_topic:pipeline_group_lag:sum{group="${group}"}`)}`,
        );
        return r.data.result[0] ? Number(r.data.result[0].value[1]) : undefined;
      };
      await waitFor(
        'lag of both groups recorded',
        async () => (await lagOf(groups.raw)) !== undefined && (await lagOf(groups.income)) !== undefined,
        60_000,
        1000,
      );
      await new Promise((r) => setTimeout(r, 20_000));
      expect(accepted).toBeGreaterThan(400);
      expect(await lagOf(groups.income)).toBeLessThan(300);

      frozen = pidOn(ports.INCOME_AGG_HEALTH_PORT);
      process.kill(frozen, 'SIGSTOP');
      const stoppedAt = Date.now();
      const prometheusAlerts = (body: unknown) => (body as { data?: { alerts: PromAlert[] } } | undefined)?.data?.alerts ?? [];
      const lagAlerts = await waitFor(
        'ConsumerLagGrowing firing in Prometheus',
        async () => {
          const all = prometheusAlerts(await json(`${prom}/api/v1/alerts`).catch(() => undefined));
          const lag = all.filter((a) => a.labels.alertname === 'ConsumerLagGrowing' && a.state === 'firing');
          return lag.length > 0 ? lag : undefined;
        },
        420_000,
        1000,
      );
      const firedAfter = (Date.now() - stoppedAt) / 1000;
      // Only the stopped group: the raw sinks kept up all along.
      expect(lagAlerts.map((a) => a.labels)).toEqual([
        { alertname: 'ConsumerLagGrowing', group: groups.income, topic: `${tag}.events`, severity: 'warning' },
      ]);
      const amAlerts = await waitFor(
        'ConsumerLagGrowing in Alertmanager',
        async () => {
          const all = await json<Array<{ labels: Record<string, string>; status: { state: string } }>>(`${am}/api/v2/alerts`).catch(
            () => [],
          );
          const lag = all.filter((a) => a.labels.alertname === 'ConsumerLagGrowing' && a.status.state === 'active');
          return lag.length > 0 ? lag : undefined;
        },
        60_000,
        1000,
      );
      const inAlertmanagerAfter = (Date.now() - stoppedAt) / 1000;
      expect(amAlerts.map((a) => a.labels.group)).toEqual([groups.income]);
      // The frozen process no longer answers its scrapes either (ServiceDown has `for: 1m`, long passed).
      const down = prometheusAlerts(await json(`${prom}/api/v1/alerts`)).filter((a) => a.labels.alertname === 'ServiceDown');
      expect(down.map((a) => [a.labels.job, a.labels.instance, a.state])).toEqual([
        ['income-aggregator', `127.0.0.1:${ports.INCOME_AGG_HEALTH_PORT}`, 'firing'],
      ]);
      console.log(
        `ConsumerLagGrowing: firing in Prometheus ${firedAfter.toFixed(0)} s after the stop, in Alertmanager after ${inAlertmanagerAfter.toFixed(0)} s; ${accepted} events accepted`,
      );
      expect(firedAfter).toBeGreaterThan(180);
      expect(firedAfter).toBeLessThan(250);

      // Ctrl-C stops the pipeline and the monitoring it started.
      clearInterval(load);
      process.kill(frozen, 'SIGCONT');
      frozen = undefined;
      await interruptAndWait(started);
      for (const p of [prometheus, alertmanager, ...Object.values(ports), rawPort + 100])
        expect({ port: p, listening: await listening(p) }).toEqual({ port: p, listening: false });
    } finally {
      if (load) clearInterval(load);
      if (frozen) process.kill(frozen, 'SIGCONT');
      await interruptAndWait(started).catch(() => kill(started));
      await dropDatabase(dbUrl);
      await deleteTopicsOf(tag, Object.values(groups));
      rmSync(monDir, { recursive: true, force: true });
    }
  }, 720_000);
});
