import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Grafana dashboard (deploy/grafana/dashboard.json) names only metrics the processes export. */
describe('Grafana dashboard', () => {
  const ROOT = join(__dirname, '../..');
  const dash = JSON.parse(readFileSync(join(ROOT, 'deploy/grafana/dashboard.json'), 'utf8')) as {
    panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
  };

  it('has the panels operators need, each with a query', () => {
    const titles = dash.panels.map((p) => p.title).join(' | ');
    for (const want of [
      'Throughput',
      'lag',
      'Dead letters',
      'Freshness',
      'Read latency',
      'Ingest latency',
      'Cache hit ratio',
      'Memory',
      'CPU',
    ])
      expect(titles).toContain(want);
    for (const p of dash.panels) expect(p.targets.length).toBeGreaterThan(0);
  });

  it('every metric in its queries is exported by the code or by prom-client defaults', () => {
    const code = execFileSync('bash', ['-c', 'grep -rhoE "name: \'(pipeline|query|ingest)_[a-z_]+\'" libs services --include=*.ts'], {
      cwd: ROOT,
    }).toString();
    const metrics = new Set(
      dash.panels.flatMap((p) =>
        p.targets.flatMap((t) =>
          [...t.expr.matchAll(/\b((?:pipeline|query|ingest|process)_[a-z_]+?)(?:_bucket)?\b(?=[{[)\s])/g)].map((m) => m[1]!),
        ),
      ),
    );
    expect(metrics.size).toBeGreaterThan(10);
    for (const m of metrics) expect({ m, exported: m.startsWith('process_') || code.includes(`'${m}'`) }).toEqual({ m, exported: true });
  });
});
