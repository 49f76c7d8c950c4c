import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commonConfig } from './common';
import { int } from './parse-env';
import { FUNNEL_GROUP } from '@fan/test-support';
import { ownSettings, PROCESSES, type ProcessEntry } from './processes';
import { replaceSettingsTable, settingNames, settingsCatalogue } from './settings-catalogue';

// A group only this manifest knows, with one setting of its own.
const funnel: ProcessEntry = { ...FUNNEL_GROUP, settings: { FUNNEL_STEPS: int(3, 1).describe('steps of the funnel') } };

describe('the settings table', () => {
  it("README.md's table is the manifest's (npm run docs:settings writes it)", () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    expect(replaceSettingsTable(readme)).toBe(readme);
  });

  it("a new group's settings appear with its defaults, and its own settings with their users", () => {
    const rows = settingsCatalogue([...PROCESSES, funnel]);
    expect(rows.find((r) => r.name === '<PREFIX>_BATCH_MAX')!.default).toContain('FUNNEL_AGG `700`');
    expect(rows.find((r) => r.name === 'FUNNEL_STEPS')).toEqual({
      name: 'FUNNEL_STEPS',
      usedBy: ['funnel-aggregator'],
      default: '`3`',
      meaning: 'steps of the funnel',
    });
    expect(rows.find((r) => r.name === 'DATABASE_URL')!.usedBy).toContain('funnel-aggregator');
    expect(rows.find((r) => r.name === 'REDIS_URL')!.usedBy).not.toContain('funnel-aggregator');
    expect(settingNames([...PROCESSES, funnel]).has('FUNNEL_AGG_GROUP_ID')).toBe(true);
  });

  it("a job's own setting is parsed at its edge, and a bad one refused naming it", () => {
    expect(ownSettings('rebuild', { PROGRESS_INTERVAL_MS: '1000' }).PROGRESS_INTERVAL_MS).toBe(1000);
    expect(() => ownSettings('publish-ndjson', { PROGRESS_INTERVAL_MS: 'soon' })).toThrow(/PROGRESS_INTERVAL_MS/);
  });

  it('an unknown BUSINESS_TZ stops the process at start-up, naming the variable', () => {
    expect(() => commonConfig({ BUSINESS_TZ: 'Mars/Olympus' })).toThrow('BUSINESS_TZ: unknown time zone "Mars/Olympus"');
  });

  it('a setting without a description is refused', () => {
    const undocumented = { ...funnel, settings: { FUNNEL_STEPS: int(3, 1) } };
    expect(() => settingsCatalogue([undocumented])).toThrow('setting FUNNEL_STEPS has no .describe()');
  });
});
