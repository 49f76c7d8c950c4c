import { dirname, join } from 'node:path';

/** Where the built dashboard page is (services/dashboard-web/dist), found through its package. */
export function dashboardPageDir(): string | undefined {
  try {
    return join(dirname(require.resolve('@fan/dashboard-web/package.json')), 'dist');
  } catch {
    return undefined;
  }
}
