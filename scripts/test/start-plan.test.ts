import { consumersOf, longRunning, PROCESSES } from '@fan/config';
import { FUNNEL_GROUP as funnel } from '@fan/test-support';
import { planLines, startPlan } from '../start/plan';

const manifest = [...PROCESSES, funnel];

describe("npm start's plan, from the process manifest", () => {
  it('runs every long-running process by default, the demo last, each scraped on its port', () => {
    const plan = startPlan({});
    expect(plan.map((i) => `${i.name} ${i.target ?? '-'}`)).toEqual(
      longRunning().map((p) => `${p.name} ${p.port ? `127.0.0.1:${p.port.default}` : '-'}`),
    );
    // Every consumer group and server of the manifest, each once, the demo last.
    expect(plan.slice(0, 3).map((i) => i.name)).toEqual(['raw-sink', 'income-aggregator', 'asset-aggregator']);
    expect(plan.at(-1)!.name).toBe('demo-traffic');
    expect(plan.filter((i) => i.name === 'query-api' || i.name === 'ingest').map((i) => i.target)).toEqual([
      '127.0.0.1:8080',
      '127.0.0.1:8090',
    ]);
    expect(startPlan({ DEMO_TRAFFIC: 'false' }).map((i) => i.name)).not.toContain('demo-traffic');
  });

  it('a group added to the manifest is started, scaled by REPLICAS and scraped, each replica on its own port', () => {
    const plan = startPlan({ REPLICAS: 'funnel-aggregator=3', FUNNEL_AGG_HEALTH_PORT: '9400' }, manifest);
    expect(plan.filter((i) => i.name === 'funnel-aggregator')).toEqual([
      { name: 'funnel-aggregator', index: 1, log: 'funnel-aggregator.log', env: {}, target: '127.0.0.1:9400' },
      {
        name: 'funnel-aggregator',
        index: 2,
        log: 'funnel-aggregator-2.log',
        env: { FUNNEL_AGG_HEALTH_PORT: '9500' },
        target: '127.0.0.1:9500',
      },
      {
        name: 'funnel-aggregator',
        index: 3,
        log: 'funnel-aggregator-3.log',
        env: { FUNNEL_AGG_HEALTH_PORT: '9600' },
        target: '127.0.0.1:9600',
      },
    ]);
    expect(planLines(plan.filter((i) => i.name === 'funnel-aggregator' && i.index === 2))).toBe(
      'funnel-aggregator\tfunnel-aggregator-2.log\t127.0.0.1:9500\tFUNNEL_AGG_HEALTH_PORT=9500',
    );
  });

  it('refuses to scale what is not a consumer group, and an unknown process, naming what can', () => {
    expect(() => startPlan({ REPLICAS: 'query-api=2' }, manifest)).toThrow(
      `REPLICAS: 'query-api=2' — only consumer groups scale this way (${consumersOf()
        .map((g) => g.name)
        .join(' ')} funnel-aggregator), with a count of 1-99`,
    );
    expect(() => startPlan({ REPLICAS: 'raw-sink=100' })).toThrow("REPLICAS: 'raw-sink=100'");
    expect(() => startPlan({ SERVICES: 'raw-sink rebuild' })).toThrow("SERVICES: 'rebuild' is not a process npm start runs");
  });
});
