/**
 * npm run docs:settings: writes the README's settings table from the manifest's settings and their
 * descriptions (libs/config). `--check` only says whether the README is current (the unit test
 * libs/config/src/settings-catalogue.test.ts fails when it is not).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceSettingsTable } from '@fan/config';

const readme = join(__dirname, '..', 'README.md');
const before = readFileSync(readme, 'utf8');
const after = replaceSettingsTable(before);
if (process.argv.includes('--check')) {
  if (after !== before) {
    console.error('README.md settings table is stale: run npm run docs:settings');
    process.exit(1);
  }
} else if (after !== before) {
  writeFileSync(readme, after);
  console.error('README.md settings table written');
}
