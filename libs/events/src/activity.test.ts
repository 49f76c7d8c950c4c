import { identityOf, validateActivityEvent } from './activity';
import { validateAnyEvent } from './any-event';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const start = (over: Record<string, unknown> = {}) => ({
  event_id: 'a-1',
  event_type: 'app.session_start',
  install_id: 'inst-1',
  occurred_at: NOW,
  properties: { os: 'iOS', os_version: '18.1', app_version: '3.2.0', network_type: 'wifi', province: '广东', city: '深圳' },
  ...over,
});
const reason = (e: unknown) => {
  const v = validateActivityEvent(e, { now: NOW });
  return v.ok ? 'accepted' : v.reason;
};

describe('app activity events (CONTRACT §5)', () => {
  it('accepts the three types, user_id optional, properties optional', () => {
    const v = validateActivityEvent(start({ user_id: '1234567890123456789' }), { now: NOW });
    expect(v.ok && v.event).toEqual({
      event_id: 'a-1',
      event_type: 'app.session_start',
      install_id: 'inst-1',
      user_id: 1234567890123456789n,
      occurred_at: BigInt(NOW),
      properties: { os: 'iOS', os_version: '18.1', app_version: '3.2.0', network_type: 'wifi', province: '广东', city: '深圳' },
    });
    expect(reason({ event_id: 'e', event_type: 'app.session_end', install_id: 'i', occurred_at: NOW })).toBe('accepted');
    const hb = validateActivityEvent(
      { event_id: 'h', event_type: 'presence.heartbeat', install_id: 'i', occurred_at: NOW, properties: {} },
      { now: NOW },
    );
    expect(hb.ok && hb.event.properties).toEqual({ app_version: null });
  });

  it.each([
    [{ install_id: undefined }, 'install_id is required'],
    [{ install_id: '' }, 'install_id must be a string of 1-64 characters'],
    [{ install_id: 'x'.repeat(65) }, 'install_id must be a string of 1-64 characters'],
    [{ user_id: '0' }, 'user_id must be a positive 64-bit decimal integer when present'],
    [{ user_id: 'abc' }, 'user_id must be a positive 64-bit decimal integer when present'],
    [{ star_id: '7' }, 'star_id is not a field of app.session_start (app activity is app-wide)'],
    [{ properties: { city: 'x\u0000' } }, 'properties.city must not contain NUL (U+0000)'],
    [{ properties: { city: 'x'.repeat(65) } }, 'properties.city must be a string of 0-64 characters'],
    [{ properties: { campaign: 'x' } }, 'properties.campaign is not a field of app.session_start'],
    [{ occurred_at: NOW + 25 * 3600_000 }, 'occurred_at is more than 24 hours in the future'],
    [{ occurred_at: 0 }, 'occurred_at must be from 2000-01-01 to 2099-12-31 (UTC)'],
    // The same instant rules as the dashboard events: Date.parse alone took each of these.
    [{ occurred_at: '2026-02-30T10:00:00+08:00' }, 'occurred_at is not a calendar date'],
    [{ occurred_at: 'Wed, 02 Dec 2026 10:00:00 +08:00' }, 'occurred_at must be epoch milliseconds or ISO-8601 with an offset'],
    [{ occurred_at: '2026-11-25T10:00:00+23:59' }, 'occurred_at offset must be within ±14:00'],
    [{ occurred_at: '2026-11-25T24:00:00Z' }, 'occurred_at is not a valid time of day'],
    [{ occurred_at: 1.5 }, 'occurred_at must be an integer'],
    // Avro writes a lone surrogate as U+FFFD: "p-\ud800" and "p-\udbff" would become one id.
    [{ event_id: 'p-\ud800' }, 'event_id must be well-formed Unicode (lone surrogate at index 2)'],
    [{ event_id: 'p-\udbff' }, 'event_id must be well-formed Unicode (lone surrogate at index 2)'],
    [{ install_id: '\udc00i' }, 'install_id must be well-formed Unicode (lone surrogate at index 0)'],
    [{ properties: { city: '深圳\ud83d' } }, 'properties.city must be well-formed Unicode (lone surrogate at index 2)'],
  ])('refuses %j: %s', (over, why) => {
    expect(reason(start(over))).toBe(why);
  });

  it('accepts ISO-8601 with an offset and surrogate pairs', () => {
    const v = validateActivityEvent(start({ occurred_at: '2026-11-25T20:00:00+08:00', event_id: 'a-\ud83d\ude00' }), { now: NOW });
    expect(v.ok && [v.event.occurred_at, v.event.event_id]).toEqual([BigInt(NOW), 'a-\ud83d\ude00']);
  });

  it('identity is the user when signed in, else the install', () => {
    expect(identityOf({ user_id: 42n, install_id: 'i' })).toBe('42');
    expect(identityOf({ user_id: null, install_id: 'i' })).toBe('install:i');
  });

  it('the ways in judge both families with one call', () => {
    expect(validateAnyEvent(start(), { now: NOW }).ok).toBe(true);
    expect(validateAnyEvent({ ...start(), event_type: 'asset.like' }, { now: NOW })).toMatchObject({ ok: false });
  });
});
