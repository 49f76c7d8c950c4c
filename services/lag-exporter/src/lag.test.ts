import { partitionLags } from './lag';

describe('partitionLags', () => {
  const ends = [
    { partition: 0, low: '0', high: '100' },
    { partition: 1, low: '40', high: '50' },
    { partition: 2, low: '0', high: '0' },
    { partition: 3, low: '9007199254740000', high: '9007199254741000' },
  ];

  it('is the end offset minus the committed one', () => {
    const committed = new Map([
      [0, '70'],
      [1, '50'],
      [2, '0'],
      [3, '9007199254740993'],
    ]);
    expect(partitionLags(ends, committed, true)).toEqual([
      { partition: 0, lag: 30 },
      { partition: 1, lag: 0 },
      { partition: 2, lag: 0 },
      { partition: 3, lag: 7 },
    ]);
  });

  it('with nothing committed: everything retained for a group that reads from the beginning, nothing for one that starts at the end', () => {
    expect(partitionLags(ends.slice(0, 2), new Map(), true)).toEqual([
      { partition: 0, lag: 100 },
      { partition: 1, lag: 10 },
    ]);
    expect(partitionLags(ends.slice(0, 2), new Map([[0, '-1']]), false)).toEqual([
      { partition: 0, lag: 0 },
      { partition: 1, lag: 0 },
    ]);
  });

  it('a commit older than retention counts from the oldest retained record', () => {
    expect(partitionLags([{ partition: 1, low: '40', high: '50' }], new Map([[1, '12']]), true)).toEqual([{ partition: 1, lag: 10 }]);
  });
});
