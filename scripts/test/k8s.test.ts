import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CONSUMER_GROUPS } from '@fan/config';

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

/** Each consumer group as the code declares it (the list every consumer's config reads). */
function groupsFromCode() {
  return CONSUMER_GROUPS.map((g) => ({ service: g.service, prefix: g.envPrefix, group: g.groupId, port: g.healthPort, topic: g.topic }));
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

  it('one lag exporter watching from the broker side, on the port its config reads, scraped like the rest', () => {
    const port = Number(/LAG_EXPORTER_PORT: int\((\d+)/.exec(src('services/lag-exporter/src/config.ts'))![1]);
    const dep = of('Deployment', 'lag-exporter')!;
    const c = dep.spec.template.spec.containers[0];
    // A second replica would export every figure twice and double the per-group sums the alert reads.
    expect({ replicas: dep.spec.replicas, strategy: dep.spec.strategy.type }).toEqual({ replicas: 1, strategy: 'Recreate' });
    expect({ args: c.args, port: c.ports[0].containerPort, probe: c.readinessProbe.httpGet.path }).toEqual({
      args: ['lag-exporter'],
      port,
      probe: '/healthz',
    });
    expect(dep.spec.template.metadata.annotations['prometheus.io/port']).toBe(String(port));
    expect(of('ScaledObject', 'lag-exporter')).toBeUndefined();
    const scraped = of('NetworkPolicy', 'prometheus-scrape')!.spec.ingress[0].ports.map((p: { port: number }) => p.port);
    expect([...scraped].sort()).toEqual([...groups.map((g) => g.port), port, 8080, 8090].sort());
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
