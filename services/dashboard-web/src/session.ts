import type { Session } from './api';

const KEY = 'fan-dashboard-token';
const POSITIVE_ID = /^[1-9]\d{0,18}$/;

/**
 * The token comes from the URL fragment (#token=…, never sent to the server, so never in its logs)
 * or the sign-in form, and is kept in sessionStorage; the fragment is removed from the address bar.
 */
export function readSession(location: Location, history: History, storage: Storage): { session?: Session; star?: string } {
  const params = new URLSearchParams(location.search);
  const star = params.get('star_id') ?? undefined;
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromFragment = fragment.get('token');
  if (fromFragment) {
    storage.setItem(KEY, fromFragment);
    history.replaceState(null, '', `${location.pathname}${location.search}`);
  }
  const token = storage.getItem(KEY) ?? undefined;
  return token && star && POSITIVE_ID.test(star) ? { session: { token, star }, star } : { star };
}

export function saveToken(storage: Storage, token: string): void {
  storage.setItem(KEY, token.trim());
}

export function forgetToken(storage: Storage): void {
  storage.removeItem(KEY);
}

export const validStar = (star: string): boolean => POSITIVE_ID.test(star);
