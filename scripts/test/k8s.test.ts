import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * The Kubernetes manifests (deploy/k8s), rendered by `kubectl kustomize` as a deployment would,
 * checked against the code: group ids, ports, topics and setting names are read from the sources,
 * not copied by hand.
 */
const ROOT = join(__dirname, '../..');
type Doc = { kind: string; metadata: { name: string }; spec: Record<string, any>; data?: Record<string, string> };
const render = (overlay: string): Doc[] =>
  parseAllDocuments(execFileSync('kubectl', ['kustomize', join(ROOT, 'deploy/k8s/overlays', overlay)]).toString()).map(
    (d) => d.toJSON() as Doc,
  );
const src = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Each consumer group as its config file declares it. */
function groupsFromCode() {
  const out: Array<{ service: string; prefix: string; group: string; port: number; topic: string }> = [];
  for (const service of readdirSync(join(ROOT, 'services'))) {
    const text = ['config.ts', 'main.ts']
      .map((f) => join(ROOT, 'services', service, 'src', f))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const m = /consumerProcessConfig\(\s*'([A-Z_]+)',\s*\{[^}]*?groupId: '([^']+)',\s*healthPort: (\d+),\s*topic: '(\w+)'/s.exec(text);
    if (m) out.push({ service, prefix: m[1]!, group: m[2]!, port: Number(m[3]), topic: m[4]! });
    const agg = /aggregatorConfig\('([A-Z_]+)', \{ groupId: '([^']+)', healthPort: (\d+) \}\)/.exec(text);
    if (agg) out.push({ service, prefix: agg[1]!, group: agg[2]!, port: Number(agg[3]), topic: 'events' });
  }
  return out;
}

describe.each(['dev', 'prod'])('deploy/k8s overlay %s', (overlay) => {
  const docs = render(overlay);
  const of = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);
  const groups = groupsFromCode();

  it('a Deployment, PodDisruptionBudget and KEDA ScaledObject per consumer group, matching the code', () => {
    expect(groups.map((g) => g.service).sort()).toEqual([
      'asset-aggregator',
      'cache-invalidator',
      'income-aggregator',
      'presence-aggregator',
      'raw-sink',
    ]);
    const partitions = Number(of('ConfigMap', 'fan-dashboard-config')!.data!.EVENT_PARTITIONS);
    const prefix = of('ConfigMap', 'fan-dashboard-config')!.data!.TOPIC_PREFIX;
    for (const g of groups) {
      const dep = of('Deployment', g.service)!;
      const c = dep.spec.template.spec.containers[0];
      const env = Object.fromEntries((c.env as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]));
      expect({ service: g.service, group: env[`${g.prefix}_GROUP_ID`], port: c.ports[0].containerPort }).toEqual({
        service: g.service,
        group: g.group,
        port: g.port,
      });
      expect(c.args).toEqual([g.service]);
      expect(c.readinessProbe.httpGet.path).toBe('/healthz');
      expect(c.livenessProbe.httpGet.path).toBe('/healthz');
      expect(c.resources.limits.memory).toBeDefined();
      expect(dep.spec.template.spec.topologySpreadConstraints).toHaveLength(1);
      expect(of('PodDisruptionBudget', g.service)).toBeDefined();
      const so = of('ScaledObject', g.service)!;
      expect(so.spec.triggers[0].metadata).toMatchObject({ consumerGroup: g.group, topic: `${prefix}.${g.topic}` });
      expect(so.spec.maxReplicaCount).toBeLessThanOrEqual(partitions);
    }
  });

  it('the HTTP services: Service, probes, CPU autoscaling, ports from the code', () => {
    for (const [service, variable] of [
      ['query-api', 'QUERY_PORT'],
      ['ingest', 'INGEST_PORT'],
    ] as const) {
      const port = Number(new RegExp(`${variable}: int\\((\\d+)`).exec(src(`services/${service}/src/config.ts`))![1]);
      const c = of('Deployment', service)!.spec.template.spec.containers[0];
      expect(c.ports[0].containerPort).toBe(port);
      expect(of('Service', service)!.spec.ports[0].port).toBe(port);
      expect(of('HorizontalPodAutoscaler', service)!.spec.metrics[0].resource.name).toBe('cpu');
    }
  });

  it('jobs for migrations and schema registration; network policies; every config key is a setting the code reads', () => {
    expect(of('Job', 'migrate')!.spec.template.spec.containers[0].args).toEqual(['migrate']);
    expect(of('Job', 'register-schemas')!.spec.template.spec.containers[0].args).toEqual(['register-schemas']);
    expect(
      docs
        .filter((d) => d.kind === 'NetworkPolicy')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(['default-deny-ingress', 'http-services', 'prometheus-scrape']);
    const code = execFileSync(
      'bash',
      ['-c', "cat $(find libs services migrations scripts/start.sh -path '*/src/*.ts' -o -name start.sh | grep -v test)"],
      { cwd: ROOT },
    ).toString();
    for (const key of Object.keys(of('ConfigMap', 'fan-dashboard-config')!.data!))
      expect({ key, read: code.includes(key) }).toEqual({ key, read: true });
    if (overlay === 'prod') expect(of('ConfigMap', 'fan-dashboard-config')!.data!.NODE_ENV).toBe('production');
    if (overlay === 'dev') expect(of('Secret', 'fan-dashboard-secrets')).toBeDefined();
    else expect(of('Secret', 'fan-dashboard-secrets')).toBeUndefined(); // created outside the repository
  });
});
