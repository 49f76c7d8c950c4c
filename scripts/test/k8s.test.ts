import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { PROCESSES, settingNames } from '@fan/config';
import { FUNNEL_GROUP as funnel } from '@fan/test-support';
import { k8sProblems, type Doc } from './k8s-check';

/**
 * The Kubernetes manifests (deploy/k8s), rendered by `kubectl kustomize` as a deployment would,
 * checked against the process manifest (libs/config/src/processes.ts): group ids, ports, topics
 * and setting names come from it, not from copies.
 */
const ROOT = join(__dirname, '../..');
const render = (overlay: string): Doc[] =>
  parseAllDocuments(execFileSync('kubectl', ['kustomize', join(ROOT, 'deploy/k8s/overlays', overlay)]).toString()).map(
    (d) => d.toJSON() as Doc,
  );

describe.each(['dev', 'prod'])('deploy/k8s overlay %s', (overlay) => {
  const docs = render(overlay);
  const of = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);

  it('every long-running process deployed as the manifest says: groups, ports, probes, scaling, scraping', () => {
    expect(k8sProblems(docs, PROCESSES)).toEqual([]);
  });

  it('a consumer group added to the manifest but not deployed is reported', () => {
    expect(k8sProblems(docs, [...PROCESSES, funnel])).toEqual(['funnel-aggregator: no Deployment']);
  });

  it('a Deployment that drifted from the manifest is reported', () => {
    const drifted = docs.map((d) => structuredClone(d));
    const dep = drifted.find((d) => d.kind === 'Deployment' && d.metadata.name === 'presence-aggregator')!;
    dep.spec.template.spec.containers[0].ports[0].containerPort = 9999;
    dep.spec.template.spec.containers[0].env = [];
    expect(k8sProblems(drifted, PROCESSES)).toEqual([
      'presence-aggregator: port 9999, manifest 9105',
      'presence-aggregator: PRESENCE_AGG_GROUP_ID is not presence-aggregator',
    ]);
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
    const known = settingNames();
    for (const key of Object.keys(of('ConfigMap', 'fan-dashboard-config')!.data!))
      expect({ key, setting: known.has(key) }).toEqual({ key, setting: true });
    for (const d of docs.filter((x) => x.kind === 'Deployment'))
      for (const { name } of (d.spec.template.spec.containers[0].env ?? []) as Array<{ name: string }>)
        expect({ deployment: d.metadata.name, name, setting: known.has(name) }).toMatchObject({ setting: true });
    if (overlay === 'prod') expect(of('ConfigMap', 'fan-dashboard-config')!.data!.NODE_ENV).toBe('production');
    if (overlay === 'dev') expect(of('Secret', 'fan-dashboard-secrets')).toBeDefined();
    else expect(of('Secret', 'fan-dashboard-secrets')).toBeUndefined(); // created outside the repository
  });
});
