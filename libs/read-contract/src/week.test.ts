import { weekStart } from './week';

describe('weekStart', () => {
  it.each([
    ['2026-11-23', '2026-11-23'], // Monday
    ['2026-11-29', '2026-11-23'], // Sunday belongs to the week before the next Monday
    ['2026-11-30', '2026-11-30'],
    ['2027-01-01', '2026-12-28'], // across a year end
  ])('%s → %s', (date, monday) => expect(weekStart(date)).toBe(monday));
});
