import type express from 'express';
import type { ChangeHub } from '../change-hub';
import { fail, signedIn, starOf, type RouteContext } from '../http';

/** The change stream of the page (/api/v1/dashboard/stream): which reads of (token user, star) changed, as server-sent events. */
export function mountChangeStream(app: express.Express, ctx: RouteContext, changes: ChangeHub): void {
  app.get('/api/v1/dashboard/stream', (req, res) => {
    const auth = signedIn(ctx, req, res);
    if (!auth) return;
    const star = starOf(req, res);
    if (star === undefined) return;
    const attached = changes.attach(res, star.toString(), auth.user.toString(), auth.expiresAt, (cb) => req.on('close', cb));
    if (attached === 'instance-full') fail(res, 503, 'too many open streams on this instance, try again shortly');
    else if (attached === 'user-full') {
      // Slots free when the user's other pages close; the page backs off on its own as well.
      res.set('retry-after', '10');
      fail(res, 429, 'too many open streams for this user: close another dashboard tab or wait');
    }
  });
}
