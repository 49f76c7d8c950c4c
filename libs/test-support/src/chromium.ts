import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

/**
 * Debian's Chromium for browser tests (a test tool's own browser download cannot run here):
 * installed with apt-get when missing, as root; otherwise the test says what to install.
 */
export function ensureChromium(): string {
  // A CJK font too, so that screenshots of the zh-CN page show characters, not boxes.
  if (existsSync(CHROMIUM) && existsSync(CJK_FONT)) return CHROMIUM;
  try {
    execFileSync(
      'bash',
      ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei'],
      { stdio: 'ignore', timeout: 600_000 },
    );
  } catch (err) {
    throw new Error(`Chromium is missing at ${CHROMIUM} and could not be installed (apt-get install chromium): ${(err as Error).message}`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get ran but ${CHROMIUM} is still missing`);
  return CHROMIUM;
}

/** Launch flags for Chromium on this machine: no sandbox as root, no calls home on a closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
