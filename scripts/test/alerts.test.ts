import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(__dirname, '../../deploy/prometheus');

/** promtool from Debian's prometheus package, installed when missing (as root). */
function promtool(): string {
  if (!existsSync('/usr/bin/promtool')) {
    execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus'], {
      stdio: 'ignore',
      timeout: 600_000,
    });
  }
  return '/usr/bin/promtool';
}

describe('alert rules (deploy/prometheus/alerts.yml)', () => {
  it('are valid and pass their unit tests (promtool test rules)', () => {
    const bin = promtool();
    expect(execFileSync(bin, ['check', 'rules', 'alerts.yml'], { cwd: DIR }).toString()).toContain('SUCCESS: 9 rules found');
    expect(execFileSync(bin, ['test', 'rules', 'alerts.test.yml'], { cwd: DIR }).toString()).toMatch(/SUCCESS/);
  }, 600_000);

  it('name only metrics the services export', () => {
    const rules = readFileSync(join(DIR, 'alerts.yml'), 'utf8');
    const used = new Set([...rules.matchAll(/\b((?:pipeline|query|ingest)_[a-z_]+?)(?:_bucket|_count)?\b/g)].map((m) => m[1]!));
    const code = execFileSync('bash', ['-c', 'grep -rhoE "name: \'(pipeline|query|ingest)_[a-z_]+\'" libs services --include=*.ts'], {
      cwd: join(__dirname, '../..'),
    }).toString();
    for (const metric of used) expect({ metric, exported: code.includes(`'${metric}'`) }).toEqual({ metric, exported: true });
  });
});
