import { validateActivityEvent, type ActivityEvent } from '@fan/events';
import { foldPresence } from './presence.fold';

let n = 0;
const ev = (type: string, at: string, o: Record<string, unknown> = {}): ActivityEvent => {
  const v = validateActivityEvent({ event_id: `f-${++n}`, event_type: type, install_id: 'dev', occurred_at: at, ...o });
  if (!v.ok) throw new Error(v.reason);
  return v.event;
};

describe('foldPresence', () => {
  it('days are business days to the millisecond; one identity counts once per day and once per place', () => {
    const rows = foldPresence(
      [
        ev('app.session_start', '2026-11-24T15:59:59.999Z', { properties: { city: 'Shenzhen', province: 'Guangdong' } }), // 23:59:59.999 in Shanghai
        ev('app.session_start', '2026-11-24T16:00:00.000Z', { properties: { city: 'Shenzhen' } }), // 00:00 next day
        ev('app.session_start', '2026-11-24T17:00:00.000Z', { properties: { city: 'Guangzhou' } }), // same day, second city
        ev('app.session_start', '2026-11-24T18:00:00.000Z', { user_id: '42', properties: { city: 'Guangzhou' } }), // signed in: another identity
        ev('presence.heartbeat', '2026-11-24T18:00:30.000Z', { user_id: '42' }),
        ev('app.session_end', '2026-11-24T18:01:00.000Z', { user_id: '42' }),
      ],
      'Asia/Shanghai',
    );
    expect([...rows.active.values()]).toEqual([
      { day: '2026-11-24', identity: 'install:dev' },
      { day: '2026-11-25', identity: 'install:dev' },
      { day: '2026-11-25', identity: '42' },
    ]);
    expect([...rows.geo.values()].map((g) => `${g.day} ${g.kind} ${g.name} ${g.identity}`)).toEqual([
      '2026-11-24 province Guangdong install:dev',
      '2026-11-24 city Shenzhen install:dev',
      '2026-11-25 city Shenzhen install:dev',
      '2026-11-25 city Guangzhou install:dev',
      '2026-11-25 city Guangzhou 42',
    ]);
    expect(rows.activity.map((a) => [a.identity, a.ended])).toEqual([
      ['install:dev', false],
      ['install:dev', false],
      ['install:dev', false],
      ['42', false],
      ['42', false],
      ['42', true],
    ]);
  });
});
