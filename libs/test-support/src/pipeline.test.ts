import { PROCESSES } from '@fan/config';
import { FUNNEL_GROUP } from './manifest-fixture';
import { privateGroups } from './pipeline';

describe("the test harness's private groups, from the manifest", () => {
  it('gives every consumer group of the manifest, a new one included, its own id and a free port', () => {
    const env = privateGroups('t1', [...PROCESSES, FUNNEL_GROUP]);
    expect(env.FUNNEL_AGG_GROUP_ID).toBe('t1-funnel');
    expect(env.FUNNEL_AGG_HEALTH_PORT).toBe('0');
    expect(env.RAW_SINK_GROUP_ID).toBe('t1-raw-sink');
    expect(env.DLQ_COUNTER_HEALTH_PORT).toBe('0');
    // Two tests never share a group.
    expect(Object.values(privateGroups('t2')).filter((v) => v.startsWith('t1-'))).toEqual([]);
  });
});
