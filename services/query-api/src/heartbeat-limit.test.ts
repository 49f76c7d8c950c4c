import { createHeartbeatLimit } from './heartbeat-limit';

describe('heartbeat limit', () => {
  let clock = 0;
  const limit = (maxUsers = 1000) => createHeartbeatLimit({ intervalMs: 10_000, installsPerUser: 4, maxUsers, now: () => clock });
  beforeEach(() => (clock = 1_000_000));

  it('one per (user, install) per interval, with the seconds left to wait', () => {
    const l = limit();
    expect(l.take('1', 'a')).toEqual({ ok: true });
    clock += 2_500;
    expect(l.take('1', 'a')).toEqual({ ok: false, retryAfterSeconds: 8 });
    expect(l.take('2', 'a')).toEqual({ ok: true }); // another user, same install id
    clock += 7_499;
    expect(l.take('1', 'a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    clock += 1;
    expect(l.take('1', 'a')).toEqual({ ok: true });
  });

  it('at most installsPerUser installs of one user per interval', () => {
    const l = limit();
    expect(['a', 'b', 'c', 'd', 'e', 'f'].map((i) => l.take('1', i).ok)).toEqual([true, true, true, true, false, false]);
    clock += 10_000;
    expect(l.take('1', 'e')).toEqual({ ok: true });
  });

  it('forgets users whose latest heartbeat is an interval old, and never keeps more than maxUsers', () => {
    const l = limit(50);
    for (let u = 0; u < 40; u++) l.take(String(u), 'a');
    expect(l.users).toBe(40);
    clock += 10_000;
    l.take('x', 'a');
    expect(l.users).toBe(1);
    for (let u = 0; u < 500; u++) l.take(String(u), 'a');
    expect(l.users).toBe(50);
  });

  it('release lets the retry of a heartbeat that was not published through', () => {
    const l = limit();
    l.take('1', 'a');
    l.release('1', 'a');
    expect(l.take('1', 'a')).toEqual({ ok: true });
  });
});
