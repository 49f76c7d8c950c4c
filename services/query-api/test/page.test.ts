/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { chromium, type Browser, type Page } from 'playwright-core';
import { validateActivityEvent, validateEvent, type ActivityEvent, type DashboardEvent } from '@fan/events';
import { CHROMIUM_ARGS, createTestPipeline, ensureChromium, waitFor, type TestPipeline } from '@fan/test-support';
import { startPageServer, type PageServer } from './page-server';

const SECRET = 'page-test-secret';
const NOW = Date.parse('2026-11-25T12:00:00+08:00'); // a Wednesday in Asia/Shanghai
const STAR = '7';
const U = '1234567890123456789';
const OUT = join(__dirname, '../../../.local/test-output/dashboard');
const thumbOf = (color: string) =>
  `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" rx="8" fill="${color}"/></svg>`)}`;

let n = 0;
function ev(type: string, user: string, at: string, properties: Record<string, unknown>): DashboardEvent {
  const v = validateEvent({ event_id: `page-${++n}`, event_type: type, user_id: user, star_id: STAR, occurred_at: at, properties });
  if (!v.ok) throw new Error(v.reason);
  return v.event;
}

/** One user's week: income on three days, two assets, likes, an exhibition with revenue, a level-up. */
function seed(): DashboardEvent[] {
  const A1 = { asset_id: '101' };
  const A2 = { asset_id: '102' };
  return [
    ev('crystal.change', U, '2026-11-23T10:00:00+08:00', { amount: 500, balance_after: 500, reason: 'like' }),
    ev('crystal.change', U, '2026-11-24T10:00:00+08:00', { amount: 300, balance_after: 800, reason: 'like' }),
    ev('crystal.change', U, '2026-11-24T12:00:00+08:00', { amount: -100, balance_after: 700, reason: 'gift' }),
    ev('crystal.change', U, '2026-11-25T09:00:00+08:00', { amount: 550, balance_after: 1250, reason: 'exhibition' }),
    ev('crystal.change', '42', '2026-11-25T08:00:00+08:00', { amount: 200, balance_after: 200, reason: 'like' }),
    ev('asset.mint', U, '2026-11-20T10:00:00+08:00', { ...A1, level: 'N', asset_name: 'Moonlight', asset_thumb: thumbOf('#7c6cf0') }),
    ev('asset.mint', U, '2026-11-20T11:00:00+08:00', { ...A2, level: 'N', asset_name: 'Encore', asset_thumb: thumbOf('#f08c00') }),
    ...['2', '3', '4'].map((liker) => ev('asset.like', U, '2026-11-21T10:00:00+08:00', { ...A1, liker_user_id: liker, amount: 5 })),
    ev('asset.like', U, '2026-11-22T10:00:00+08:00', { ...A2, liker_user_id: '5', amount: 10 }),
    ev('exhibition.start', U, '2026-11-23T10:00:00+08:00', { ...A1, slot_id: '1' }),
    ev('exhibition.end', U, '2026-11-23T12:00:00+08:00', { ...A1, slot_id: '1', duration_ms: 7_200_000 }),
    ev('exhibition.revenue', U, '2026-11-23T12:00:00+08:00', { ...A1, amount: 40, duration_ms: 7_200_000 }),
    ev('asset.level_up', U, '2026-11-24T09:00:00+08:00', { ...A2, from_level: 'N', to_level: 'R' }),
    ev('exhibition.start', U, '2026-11-25T10:00:00+08:00', { ...A2, slot_id: '2' }),
  ];
}

function act(type: string, install: string, at: number, o: Record<string, unknown> = {}): ActivityEvent {
  const v = validateActivityEvent({ event_id: `page-act-${++n}`, event_type: type, install_id: install, occurred_at: at, ...o });
  if (!v.ok) throw new Error(v.reason);
  return v.event;
}

const token = (sub: string) => jwt.sign({ sub }, SECRET, { algorithm: 'HS256', expiresIn: '1h' });
const text = (page: Page, sel: string) => page.locator(sel).first().innerText();
const value = (page: Page, read: string, key: string) => text(page, `[data-read="${read}"] [data-value="${key}"]`);

describe('dashboard page in Chromium', () => {
  let p: TestPipeline;
  let server: PageServer;
  let browser: Browser;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    p = await createTestPipeline('page', 3);
    await p.publisher.publish(seed());
    for (const s of ['income-aggregator', 'asset-aggregator', 'cache-invalidator']) p.start(s);
    p.start('presence-aggregator', { PRESENCE_AGG_GROUP_ID: `${p.env.RAW_SINK_GROUP_ID}-presence`, PRESENCE_AGG_HEALTH_PORT: '0' });
    // App activity: three installs online at the page's "now" (one signed in), one that left.
    await p.publisher.publish([
      ...['i-1', 'i-2', 'i-3'].map((install, i) => act('presence.heartbeat', install, NOW - 30_000, i === 0 ? { user_id: U } : {})),
      act('app.session_start', 'i-4', NOW - 120_000, { properties: { province: 'Guangdong', city: 'Shenzhen' } }),
      act('app.session_end', 'i-4', NOW - 60_000),
    ]);
    await waitFor(
      'seed applied',
      async () => {
        // The aggregators' 16 events and the presence aggregator's four installs: the page's first
        // online count is kept for a second, so it must not be computed before presence caught up.
        const r = await p.db.pool.query<{ n: number; installs: number }>(
          'SELECT (SELECT count(*) FROM agg_applied_events)::int AS n, (SELECT count(*) FROM presence_latest)::int AS installs',
        );
        return r.rows[0]!.n === 16 && r.rows[0]!.installs === 4;
      },
      60_000,
      200,
    );
    server = await startPageServer(p, { jwtSecret: SECRET, now: () => NOW });
    browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await p?.stop();
  });

  async function open(path: string, viewport = { width: 1280, height: 900 }, locale = 'en-US'): Promise<Page> {
    const context = await browser.newContext({ viewport, locale, timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(`${server.base}${path}`);
    return page;
  }
  // The seven dashboard panels (the app-wide panel is checked on its own).
  const allReady = (page: Page) =>
    page.waitForFunction(
      () => {
        const seven = [...document.querySelectorAll('[data-read]:not([data-read="app-activity"])')];
        return seven.length === 7 && seven.every((e) => (e as HTMLElement).dataset.state === 'ready');
      },
      null,
      { timeout: 20_000 },
    );

  it("shows the seven panels with the seeded user's exact numbers, no console errors", async () => {
    const page = await open(`/?star_id=${STAR}#token=${token(U)}`);
    await allReady(page);
    expect(page.url()).not.toContain('token='); // the fragment is gone from the address bar
    expect(await page.locator('[data-read]').evaluateAll((els) => els.map((e) => e.getAttribute('data-read')))).toEqual([
      'today-overview',
      'income-curve',
      'exhibition-summary',
      'like-income-by-level',
      'top-assets',
      'level-distribution',
      'upgrade-progress',
      'app-activity',
    ]);
    await page.waitForSelector('[data-read="app-activity"][data-state="ready"]');
    expect(await value(page, 'app-activity', 'online_count')).toBe('3');
    expect([
      await value(page, 'today-overview', 'crystal_balance'),
      await value(page, 'today-overview', 'today_income'),
      await value(page, 'today-overview', 'week_rank'),
    ]).toEqual(['1,250', '550', '1 / 2']);
    expect([await value(page, 'income-curve', 'total_income'), await value(page, 'income-curve', 'avg_income')]).toEqual(['1,350', '192']);
    expect(await page.locator('[data-read="income-curve"] canvas').getAttribute('aria-label')).toBe(
      'Income, last 7 days: Thu, Nov 19 0, Fri, Nov 20 0, Sat, Nov 21 0, Sun, Nov 22 0, Mon, Nov 23 500, Tue, Nov 24 300, Wed, Nov 25 550',
    );
    expect(await text(page, '[data-read="income-curve"] .legend')).toContain('Peak: Wed, Nov 25 550');
    expect([
      await value(page, 'exhibition-summary', 'exhibiting_count'),
      await value(page, 'exhibition-summary', 'starbook_count'),
      await value(page, 'exhibition-summary', 'total_duration'),
      await value(page, 'exhibition-summary', 'total_earnings'),
    ]).toEqual(['1', '2', '2h 00m', '40']);
    expect(await page.locator('[data-read="exhibition-summary"] tbody tr').allInnerTexts()).toEqual(['Moonlight\n\t2h 00m\t40\t5']); // the name is a flex item beside its thumb
    expect([
      await value(page, 'like-income-by-level', 'total_like_count'),
      await value(page, 'like-income-by-level', 'total_income'),
    ]).toEqual(['4', '25']);
    expect(await page.locator('[data-read="like-income-by-level"] .level-list li').allInnerTexts()).toEqual([
      'N\nAssets 1\n15',
      'R\nAssets 1\n10',
    ]);
    expect(await page.locator('[data-read="top-assets"] li').allInnerTexts()).toEqual(['1\nMoonlight\n55', '2\nEncore\n10']);
    expect(await page.locator('[data-read="level-distribution"] canvas').getAttribute('aria-label')).toBe(
      'Level distribution: N 1, R 1, SR 0, SSR 0, UR 0',
    );
    expect(await page.locator('[data-read="upgrade-progress"] .upcoming li').allInnerTexts()).toEqual([
      'Moonlight\nN → R\nLikes\n30%\nExhibition time\n100%',
      'Encore\nR → SR\nLikes\n0%\nExhibition time\n0%',
    ]);
    expect(await page.locator('[data-read="upgrade-progress"] .recent li').allInnerTexts()).toEqual(['Encore\nR\nNov 24, 2026, 9:00 AM']);
    await page.screenshot({ path: join(OUT, 'desktop-en.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('updates within 2 s of a new event, without a reload', async () => {
    const page = await open(`/?star_id=${STAR}#token=${token(U)}`);
    await allReady(page);
    await page.waitForSelector('[data-live="true"]', { timeout: 10_000 });
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    const sent = Date.now();
    await p.publisher.publish([ev('crystal.change', U, '2026-11-25T11:00:00+08:00', { amount: 25, balance_after: 1275, reason: 'like' })]);
    await page.waitForFunction(() => document.querySelector('[data-value="crystal_balance"]')?.textContent === '1,275', null, {
      timeout: 5_000,
    });
    const ms = Date.now() - sent;
    console.log(`live update shown ${ms} ms after publish`);
    expect(ms).toBeLessThan(2_000);
    expect(await value(page, 'today-overview', 'today_income')).toBe('575');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1); // same document: no reload
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('a refused token brings the sign-in form back with the reason', async () => {
    const page = await open(`/?star_id=${STAR}#token=${jwt.sign({ sub: U }, 'another-secret', { algorithm: 'HS256' })}`);
    await page.waitForSelector('form.sign-in');
    expect(await text(page, '[data-reason]')).toBe('invalid token: invalid signature');
    // Signing in through the form works.
    await page.fill('#token', token(U));
    await page.fill('#star', STAR);
    await page.click('form.sign-in button[type=submit]');
    await allReady(page);
    await page.screenshot({ path: join(OUT, 'after-sign-in.png') });
    await page.context().close();
    consoleErrors.splice(0); // the 401s of the refused token are expected
  });

  it('a user without data sees every panel empty', async () => {
    const page = await open(`/?star_id=${STAR}#token=${token('555')}`);
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-read]:not([data-read="app-activity"])')].every(
          (e) => (e as HTMLElement).dataset.state === 'empty',
        ),
      null,
      { timeout: 20_000 },
    );
    expect(await page.locator('[data-state="empty"]').count()).toBe(7);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('an unknown ?tz= falls back to the business zone with a visible notice, never a blank page', async () => {
    const page = await open(`/?star_id=${STAR}&tz=Mars/Olympus_Mons#token=${token(U)}`);
    await allReady(page);
    expect(await text(page, '[data-notice="tz"]')).toBe('Time zone “Mars/Olympus_Mons” was not recognised; showing Asia/Shanghai instead.');
    await page.waitForSelector('[data-read="app-activity"][data-state="ready"]', { timeout: 20_000 });
    await page.screenshot({ path: join(OUT, 'tz-unknown.png') });
    // A zone Intl knows, in any case, is taken without a notice.
    const ok = await open(`/?star_id=${STAR}&tz=asia/tokyo#token=${token(U)}`);
    await allReady(ok);
    expect(await ok.locator('[data-notice]').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
    await ok.context().close();
  });

  it('when the token expires the stream ends and the page says so, keeping the figures', async () => {
    // Tokens are checked on the real clock (the reads' clock is pinned): this one lives 4 s.
    const short = jwt.sign({ sub: U, exp: Math.floor(Date.now() / 1000) + 4 }, SECRET, { algorithm: 'HS256' });
    const page = await open(`/?star_id=${STAR}#token=${short}`);
    await allReady(page);
    await page.waitForSelector('[data-live="true"]', { timeout: 10_000 });
    const balance = await value(page, 'today-overview', 'crystal_balance');
    expect(balance).toMatch(/^[1-9][\d,]*$/);
    await page.waitForSelector('[data-notice="expired"]', { timeout: 15_000 });
    expect(await text(page, '[data-live]')).toBe('Session expired');
    expect(await page.locator('[data-read][data-state="ready"]').count()).toBe(8);
    expect(await value(page, 'today-overview', 'crystal_balance')).toBe(balance);
    await page.screenshot({ path: join(OUT, 'session-expired.png') });
    await page.click('[data-notice="expired"] button');
    await page.waitForSelector('form.sign-in');
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 40_000);

  it('fits a 375 px phone, in Chinese', async () => {
    const page = await open(`/?star_id=${STAR}#token=${token(U)}`, { width: 375, height: 812 }, 'zh-CN');
    await allReady(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await text(page, '[data-read="today-overview"] h2')).toBe('今日概览');
    expect(await value(page, 'exhibition-summary', 'total_duration')).toBe('2小时00分');
    await page.screenshot({ path: join(OUT, 'phone-zh.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });
});
