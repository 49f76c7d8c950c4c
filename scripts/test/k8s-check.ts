import { consumersOf, topicsFor, type ProcessEntry } from '@fan/config';

/** A rendered Kubernetes object, as much of it as the checks read. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rendered YAML, read field by field below
export type Doc = { kind: string; metadata: { name: string }; spec: Record<string, any>; data?: Record<string, string> };

/**
 * What the rendered manifests get wrong against the process manifest (empty when they match):
 * every consumer group has a Deployment running it with its group id and port, a
 * PodDisruptionBudget and a KEDA ScaledObject on its topic; every long-running process's port is
 * named for the scrape policy; the lag exporter is one instance; the HTTP services have a
 * Service and CPU autoscaling on their port.
 */
export function k8sProblems(docs: Doc[], manifest: readonly ProcessEntry[]): string[] {
  const problems: string[] = [];
  const of = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);
  const config = of('ConfigMap', 'fan-dashboard-config')?.data ?? {};
  const partitions = Number(config.EVENT_PARTITIONS);
  const scraped = new Set<string | number>(
    (of('NetworkPolicy', 'prometheus-scrape')?.spec.ingress[0].ports ?? []).map((p: { port: string | number }) => p.port),
  );
  for (const p of manifest.filter((x) => x.kind !== 'job' && x.kind !== 'demo')) {
    const dep = of('Deployment', p.name);
    if (!dep) {
      problems.push(`${p.name}: no Deployment`);
      continue;
    }
    const c = dep.spec.template.spec.containers[0];
    const port = c.ports?.[0];
    if (JSON.stringify(c.args) !== JSON.stringify([p.name])) problems.push(`${p.name}: args ${JSON.stringify(c.args)}`);
    if (port?.containerPort !== p.port?.default) problems.push(`${p.name}: port ${port?.containerPort}, manifest ${p.port?.default}`);
    if (!scraped.has(port?.name)) problems.push(`${p.name}: port name ${port?.name} is not scraped`);
    if (dep.spec.template.metadata.annotations?.['prometheus.io/port'] !== String(p.port?.default))
      problems.push(`${p.name}: prometheus.io/port annotation is not ${p.port?.default}`);
    if (c.readinessProbe?.httpGet?.path !== '/healthz') problems.push(`${p.name}: readiness probe is not /healthz`);
    if (!c.resources?.limits?.memory) problems.push(`${p.name}: no memory limit`);
    if (p.kind === 'exporter' && (dep.spec.replicas !== 1 || dep.spec.strategy?.type !== 'Recreate' || of('ScaledObject', p.name)))
      // A second replica would export every figure twice and double the per-group sums the alert reads.
      problems.push(`${p.name}: an exporter runs as exactly one instance (replicas 1, Recreate, no autoscaling)`);
    if (p.kind === 'http') {
      if (of('Service', p.name)?.spec.ports[0].port !== p.port?.default) problems.push(`${p.name}: Service port is not ${p.port?.default}`);
      if (of('HorizontalPodAutoscaler', p.name)?.spec.metrics[0].resource.name !== 'cpu') problems.push(`${p.name}: no CPU autoscaling`);
    }
  }
  for (const g of consumersOf(manifest)) {
    const dep = of('Deployment', g.name);
    if (!dep) continue;
    const c = dep.spec.template.spec.containers[0];
    const env = Object.fromEntries(((c.env ?? []) as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]));
    if (env[`${g.envPrefix}_GROUP_ID`] !== g.group.id) problems.push(`${g.name}: ${g.envPrefix}_GROUP_ID is not ${g.group.id}`);
    if (c.livenessProbe?.httpGet?.path !== '/healthz') problems.push(`${g.name}: liveness probe is not /healthz`);
    if (dep.spec.template.spec.topologySpreadConstraints?.length !== 1) problems.push(`${g.name}: no topology spread`);
    if (!of('PodDisruptionBudget', g.name)) problems.push(`${g.name}: no PodDisruptionBudget`);
    const so = of('ScaledObject', g.name);
    const trigger = so?.spec.triggers[0].metadata;
    if (!so) problems.push(`${g.name}: no ScaledObject`);
    else {
      if (trigger.consumerGroup !== g.group.id) problems.push(`${g.name}: ScaledObject watches group ${trigger.consumerGroup}`);
      if (trigger.topic !== topicsFor(config.TOPIC_PREFIX ?? '')[g.group.topic])
        problems.push(`${g.name}: ScaledObject watches topic ${trigger.topic}`);
      // Never more replicas than partitions: idle members would get none.
      if (!(so.spec.maxReplicaCount <= partitions)) problems.push(`${g.name}: maxReplicaCount ${so.spec.maxReplicaCount} > ${partitions}`);
    }
  }
  return problems;
}
