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

  it('a partition without a commit: everything retained if the group reads from the beginning, nothing if it starts at the end', () => {
    const committed = new Map([
      [0, '-1'],
      [1, '45'],
    ]);
    expect(partitionLags(ends.slice(0, 2), committed, true)).toEqual([
      { partition: 0, lag: 100 },
      { partition: 1, lag: 5 },
    ]);
    expect(partitionLags(ends.slice(0, 2), committed, false)).toEqual([
      { partition: 0, lag: 0 },
      { partition: 1, lag: 5 },
    ]);
  });

  it('a group that never committed on the topic is not reported', () => {
    expect(partitionLags(ends, new Map(), true)).toEqual([]);
    expect(partitionLags(ends, new Map([[0, '-1']]), true)).toEqual([]);
  });

  it('a commit older than retention counts from the oldest retained record', () => {
    expect(partitionLags([{ partition: 1, low: '40', high: '50' }], new Map([[1, '12']]), true)).toEqual([{ partition: 1, lag: 10 }]);
  });
});
