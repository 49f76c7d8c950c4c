import { fetchAppActivity, fetchRead, followChanges, Unauthorized, type Session } from './api';
import { h } from './dom';
import { formatters, pickLocale } from './format';
import { texts } from './i18n';
import { RENDERERS } from './panels';
import { renderAppActivity } from './panels/app-activity';
import { READ_NAMES, type ReadData, type ReadName } from './reads';
import { forgetToken, readSession, saveToken, validStar } from './session';
import { isEmpty } from './shape';
import { fill, pickZone } from './tz';
import './styles.css';

type PanelState = 'loading' | 'ready' | 'empty' | 'error';

const params = new URLSearchParams(location.search);
const locale = pickLocale(params.get('lang'), navigator.languages);
const f = formatters(locale);
const t = texts(locale);
document.documentElement.lang = locale;
document.title = t.title;
const app = document.getElementById('app') as HTMLElement;
// Business days of the app-wide panel: the pipeline's BUSINESS_TZ (Asia/Shanghai) unless ?tz=
// names another zone; an unknown one falls back to it with a notice rather than a blank page.
const zone = pickZone(params.get('tz'));
const businessDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: zone.zone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const APP_PANEL = 'app-activity';
const APP_REFRESH_MS = 15_000;

function signInForm(reason: string, star?: string): void {
  const token = h('textarea', { id: 'token', name: 'token', rows: 4, required: true, autocomplete: 'off', spellcheck: 'false' });
  const starInput = h('input', { id: 'star', name: 'star', inputmode: 'numeric', required: true, value: star ?? '' });
  const form = h(
    'form',
    { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, t.signIn),
    h('p', { class: 'reason', role: 'alert', 'data-reason': '' }, reason),
    h('p', { class: 'muted' }, t.signInHelp),
    h('label', { for: 'token' }, t.token),
    token,
    h('label', { for: 'star' }, t.starId),
    starInput,
    h('button', { type: 'submit' }, t.signIn),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!validStar(starInput.value.trim())) return void ((form.querySelector('.reason') as HTMLElement).textContent = t.reasonStar);
    saveToken(sessionStorage, token.value);
    const next = new URLSearchParams({ star_id: starInput.value.trim() });
    for (const keep of ['lang', 'tz']) if (params.get(keep)) next.set(keep, params.get(keep) as string);
    location.search = `?${next.toString()}`;
  });
  app.replaceChildren(form);
  token.focus();
}

function dashboard(session: Session): void {
  let stopped = false;
  const live = h('span', { class: 'live', role: 'status', 'data-live': 'false' }, t.offline);
  const signOut = h('button', { type: 'button', class: 'link' }, t.signOut);
  const panels = new Map<ReadName, HTMLElement>();
  const grid = h('main', { class: 'grid', id: 'main' });
  for (const read of READ_NAMES) {
    const body = h('div', { class: 'panel-body' });
    const panel = h(
      'section',
      { class: `panel panel-${read}`, 'data-read': read, 'data-state': 'loading', 'aria-busy': 'true', 'aria-labelledby': `h-${read}` },
      h('h2', { id: `h-${read}` }, t[read]),
      body,
    );
    panels.set(read, panel);
    grid.append(panel);
  }
  const appPanel = h(
    'section',
    {
      class: 'panel panel-app-activity',
      'data-read': APP_PANEL,
      'data-state': 'loading',
      'aria-busy': 'true',
      'aria-labelledby': `h-${APP_PANEL}`,
    },
    h('h2', { id: `h-${APP_PANEL}` }, t[APP_PANEL]),
    h('div', { class: 'panel-body' }, h('p', { class: 'muted' }, t.loading)),
  );
  grid.append(appPanel);
  const notices = h(
    'div',
    { class: 'notices' },
    zone.rejected === undefined
      ? null
      : h('p', { class: 'notice', role: 'status', 'data-notice': 'tz' }, fill(t.tzUnknown, { zone: zone.rejected, fallback: zone.zone })),
  );
  app.replaceChildren(
    h('header', { class: 'top' }, h('h1', {}, t.title), h('span', { class: 'muted' }, `${t.star} ${session.star}`), live, signOut),
    notices,
    grid,
  );

  const setPanel = (panel: HTMLElement, state: PanelState, content: Node) => {
    panel.dataset.state = state;
    panel.setAttribute('aria-busy', String(state === 'loading'));
    (panel.querySelector('.panel-body') as HTMLElement).replaceChildren(content);
  };
  // App-wide reads are not announced per user: refreshed every 15 s and on every reconnect.
  const loadApp = async () => {
    try {
      const d = await fetchAppActivity(session, new Date(), (x) => businessDay.format(x));
      if (stopped) return;
      const empty = d.online.count === 0 && d.dau.days.every((x) => x.dau === 0) && d.history.points.every((x) => x.count === 0);
      setPanel(appPanel, empty ? 'empty' : 'ready', empty ? h('p', { class: 'muted' }, t.empty) : renderAppActivity(d, { f, t }));
    } catch (err) {
      if (stopped) return;
      if (err instanceof Unauthorized) return fail(err.message);
      setPanel(
        appPanel,
        'error',
        h('div', { role: 'alert' }, h('p', {}, t.error), h('button', { type: 'button', onclick: () => void loadApp() }, t.retry)),
      );
    }
  };
  void loadApp();
  const appTimer = setInterval(() => void loadApp(), APP_REFRESH_MS);
  const setState = (read: ReadName, state: PanelState, content: Node) => {
    const panel = panels.get(read)!;
    panel.dataset.state = state;
    panel.setAttribute('aria-busy', String(state === 'loading'));
    (panel.querySelector('.panel-body') as HTMLElement).replaceChildren(content);
  };
  const fail = (reason: string) => {
    if (stopped) return;
    stopped = true;
    clearInterval(appTimer);
    stopStream();
    forgetToken(sessionStorage);
    signInForm(reason, session.star);
  };
  const inFlight = new Map<ReadName, AbortController>();
  const load = async (read: ReadName) => {
    inFlight.get(read)?.abort();
    const ctl = new AbortController();
    inFlight.set(read, ctl);
    const panel = panels.get(read)!;
    if (panel.dataset.state === 'error') setState(read, 'loading', h('p', { class: 'muted' }, t.loading));
    try {
      const data = await fetchRead(session, read, ctl.signal);
      if (ctl.signal.aborted || stopped) return;
      if (isEmpty(read, data)) setState(read, 'empty', h('p', { class: 'muted' }, t.empty));
      else
        setState(
          read,
          'ready',
          (RENDERERS[read] as (d: ReadData[ReadName], c: { f: typeof f; t: typeof t }) => HTMLElement)(data, { f, t }),
        );
    } catch (err) {
      if (ctl.signal.aborted || stopped) return;
      if (err instanceof Unauthorized) return fail(err.message);
      const retry = h('button', { type: 'button', onclick: () => void load(read) }, t.retry);
      setState(read, 'error', h('div', { role: 'alert' }, h('p', {}, t.error), retry));
    }
  };
  for (const read of READ_NAMES) {
    setState(read, 'loading', h('p', { class: 'muted' }, t.loading));
    void load(read);
  }
  // The token expired while the page was open: the figures stay, marked as no longer updated,
  // and nothing is fetched with the old token any more (each fetch would only be refused).
  const expire = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(appTimer);
    stopStream();
    for (const ctl of inFlight.values()) ctl.abort();
    forgetToken(sessionStorage);
    live.dataset.live = 'expired';
    live.textContent = t.expired;
    notices.append(
      h(
        'div',
        { class: 'notice notice-warn', role: 'alert', 'data-notice': 'expired' },
        h('p', {}, t.sessionExpired),
        h('button', { type: 'button', onclick: () => signInForm(t.expired, session.star) }, t.signInAgain),
      ),
    );
  };
  const stopStream = followChanges(session, {
    onChange: (reads) => {
      (reads.length === 0 ? READ_NAMES : reads).forEach((r) => READ_NAMES.includes(r) && void load(r));
      if (reads.length === 0) void loadApp();
    },
    onStatus: (isLive) => {
      if (stopped) return;
      live.dataset.live = String(isLive);
      live.textContent = isLive ? t.live : t.offline;
    },
    onUnauthorized: fail,
    onExpired: expire,
  });
  signOut.addEventListener('click', () => fail(t.reasonMissing));
}

const { session, star } = readSession(location, history, sessionStorage);
if (session) dashboard(session);
else signInForm(star && !validStar(star) ? t.reasonStar : t.reasonMissing, star);
