import http from 'node:http';
import { Gauge, type Registry } from 'prom-client';

/** A readiness check of one dependency; resolves when it answers, rejects with the reason. */
export type HealthCheck = () => Promise<void>;

export interface HealthReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, { ok: boolean; error?: string }>;
}

const CHECK_TIMEOUT_MS = 2000;

export async function runChecks(checks: Record<string, HealthCheck>): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
          }),
        ]);
        return [name, { ok: true }] as const;
      } catch (err) {
        return [name, { ok: false, error: (err as Error).message }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const report = Object.fromEntries(entries);
  return { status: entries.every(([, r]) => r.ok) ? 'ok' : 'unavailable', checks: report };
}

/**
 * /healthz (200 when every dependency answers, else 503 with which one failed) and /metrics, for
 * processes that have no HTTP API of their own (the consumers).
 */
/**
 * `pipeline_dependency_up{dependency}` (1 or 0), checked at every scrape: what the alert rules use
 * for "Kafka / registry / Postgres / Redis unreachable" (deploy/prometheus/alerts.yml).
 */
export function dependencyGauge(checks: Record<string, HealthCheck>, metrics: Registry): void {
  new Gauge({
    name: 'pipeline_dependency_up',
    help: 'Whether a dependency answered its health check at the last scrape',
    labelNames: ['dependency'] as const,
    registers: [metrics],
    async collect() {
      const r = await runChecks(checks);
      for (const [name, c] of Object.entries(r.checks)) this.set({ dependency: name }, c.ok ? 1 : 0);
    },
  });
}

export function startHealthServer(port: number, checks: Record<string, HealthCheck>, metrics: Registry): Promise<http.Server> {
  dependencyGauge(checks, metrics);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      void runChecks(checks).then((r) => {
        res.writeHead(r.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(r));
      });
    } else if (req.method === 'GET' && path === '/metrics') {
      void metrics.metrics().then((body) => {
        res.writeHead(200, { 'content-type': metrics.contentType });
        res.end(body);
      });
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 404, message: 'not found' }));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
}
