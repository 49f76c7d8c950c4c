import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { settingNames } from '@fan/config';

/**
 * There is no Docker engine here: the Dockerfile and the compose file are checked against the
 * repository and its build output instead (npm test builds every project before this runs).
 */
const ROOT = join(__dirname, '../..');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { build?: string; command?: string[]; environment?: Record<string, string> }>;
};
const copies = dockerfile
  .split('\n')
  .filter((l) => l.startsWith('COPY '))
  .map((l) => {
    const parts = l.split(/\s+/).slice(1);
    const from = parts.find((p) => p.startsWith('--from='))?.slice('--from='.length);
    const paths = parts.filter((p) => !p.startsWith('--'));
    return { line: l, from, sources: paths.slice(0, -1), dest: paths[paths.length - 1]! };
  });
// Node processes: the services whose build bundles a main.ts (the page is built by Vite instead).
const services = readdirSync(join(ROOT, 'services')).filter((s) =>
  (JSON.parse(readFileSync(join(ROOT, 'services', s, 'package.json'), 'utf8')) as { scripts: { build: string } }).scripts.build.includes(
    'build-service.mjs',
  ),
);
const bundleOf = (what: string) =>
  what === 'migrate'
    ? 'migrations/dist/cli.js'
    : what === 'register-schemas'
      ? 'libs/event-codec/dist/register-schemas.js'
      : `services/${what}/dist/main.js`;

describe('Dockerfile and compose file against the repository', () => {
  it('every path copied from the build context exists and is not excluded by .dockerignore', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    for (const c of copies.filter((x) => !x.from)) {
      for (const src of c.sources) {
        expect({ src, exists: existsSync(join(ROOT, src)) }).toEqual({ src, exists: true });
        for (const pattern of ignored)
          expect({ src, pattern, excluded: src === pattern || src.startsWith(`${pattern}/`) }).toMatchObject({ excluded: false });
      }
    }
  });

  it('every path copied from the build stage exists after the build', () => {
    const fromBuild = copies.filter((x) => x.from === 'build');
    expect(fromBuild.length).toBeGreaterThan(10);
    for (const c of fromBuild)
      for (const src of c.sources)
        expect({ src, exists: existsSync(join(ROOT, src.replace(/^\/app\//, ''))) }).toEqual({ src, exists: true });
  });

  it('the image holds every service with a main.ts, and the entry point runs', () => {
    const copied = new Set(copies.flatMap((c) => c.sources.map((s) => s.replace(/^\/app\//, ''))));
    for (const s of services) expect({ s, inImage: copied.has(`services/${s}/dist`) }).toEqual({ s, inImage: true });
    const entry = /ENTRYPOINT \["([^"]+)"\]/.exec(dockerfile)![1]!;
    expect(() => accessSync(join(ROOT, entry), constants.X_OK)).not.toThrow();
    const cmd = /CMD \["([^"]+)"\]/.exec(dockerfile)![1]!;
    expect(existsSync(join(ROOT, bundleOf(cmd)))).toBe(true);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('every compose process of the pipeline is one the image can run, with settings the manifest declares', () => {
    const known = settingNames();
    const built = Object.entries(compose.services).filter(([, s]) => s.build);
    expect(built.map(([name]) => name).sort()).toEqual(
      ['migrate', 'register-schemas', ...services.filter((s) => s !== 'dlq-replay')].sort(),
    );
    for (const [name, s] of built) {
      expect({ name, bundle: existsSync(join(ROOT, bundleOf(s.command![0]!))) }).toEqual({ name, bundle: true });
      for (const variable of Object.keys(s.environment ?? {}))
        expect({ variable, setting: known.has(variable) }).toEqual({ variable, setting: true });
    }
  });
});
