import { gather } from './gather';

/** A runMany that records each run and answers when told to. */
function recorder(fail: (arg: string) => boolean = () => false) {
  const runs: string[][] = [];
  const pending: (() => void)[] = [];
  const runMany = (args: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      runs.push(args);
      pending.push(() =>
        args.some(fail) ? reject(new Error(`refused ${args.filter(fail).join(',')}`)) : resolve(args.map((a) => a.toUpperCase())),
      );
    });
  /** Answers the runs started so far, then lets the gatherer start what waited (two turns of the loop). */
  const release = async () => {
    while (pending.length) (pending.shift() as () => void)();
    await turn();
    await turn();
  };
  return { runs, runMany, release };
}

const turn = () => new Promise((r) => setImmediate(r));
const settle = <T>(p: Promise<T>) =>
  p.then(
    (v) => ({ ok: v }),
    (e: Error) => ({ err: e.message }),
  );

jest.setTimeout(5000);

describe('gather', () => {
  it('runs the calls of one turn together and gives each caller its own result', async () => {
    const r = recorder();
    const call = gather(r.runMany, { maxInFlight: 1 });
    const out = Promise.all([call('a'), call('b'), call('c')]);
    await turn();
    await r.release();
    expect(await out).toEqual(['A', 'B', 'C']);
    expect(r.runs).toEqual([['a', 'b', 'c']]);
  });

  it('holds calls made while a run is in flight and runs them together next', async () => {
    const r = recorder();
    const call = gather(r.runMany, { maxInFlight: 1 });
    const first = call('a');
    await turn();
    const later = [call('b'), call('c'), call('d')];
    await turn();
    expect(r.runs).toEqual([['a']]);
    await r.release();
    await r.release();
    expect(await Promise.all([first, ...later])).toEqual(['A', 'B', 'C', 'D']);
    expect(r.runs).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('keeps at most maxInFlight runs going and at most maxWeight in each', async () => {
    const r = recorder();
    const call = gather(r.runMany, { maxInFlight: 2, maxWeight: 5, weight: (a) => a.length });
    const out = Promise.all(['aaa', 'bb', 'c', 'dddd', 'ee', 'f'].map(call));
    await turn();
    expect(r.runs).toEqual([
      ['aaa', 'bb'],
      ['c', 'dddd'],
    ]);
    await r.release();
    await r.release();
    expect(r.runs).toEqual([
      ['aaa', 'bb'],
      ['c', 'dddd'],
      ['ee', 'f'],
    ]);
    expect(await out).toEqual(['AAA', 'BB', 'C', 'DDDD', 'EE', 'F']);
  });

  it('runs one heavier than maxWeight on its own rather than never', async () => {
    const r = recorder();
    const call = gather(r.runMany, { maxInFlight: 1, maxWeight: 2, weight: (a) => a.length });
    const out = Promise.all([call('xxxxx'), call('y')]);
    await turn();
    await r.release();
    await r.release();
    expect(await out).toEqual(['XXXXX', 'Y']);
    expect(r.runs).toEqual([['xxxxx'], ['y']]);
  });

  it('after a failed run of several, runs each alone so only the refused caller sees the error', async () => {
    const r = recorder((a) => a === 'bad');
    const call = gather(r.runMany, { maxInFlight: 1 });
    const out = Promise.all(['a', 'bad', 'c'].map((a) => settle(call(a))));
    for (let i = 0; i < 5; i++) await r.release();
    expect(await out).toEqual([{ ok: 'A' }, { err: 'refused bad' }, { ok: 'C' }]);
    expect(r.runs).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
  });

  it('gives a lone caller its error directly', async () => {
    const r = recorder(() => true);
    const call = gather(r.runMany, { maxInFlight: 1 });
    const out = settle(call('x'));
    await turn();
    await r.release();
    expect(await out).toEqual({ err: 'refused x' });
    expect(r.runs).toEqual([['x']]);
  });
});
