// Bundles a service's src/main.ts (and the workspace libs it imports) into dist/main.js, or another
// entry (the migrate and schema-registration commands run in containers as plain node).
// npm dependencies stay external and load from node_modules at run time.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const deps = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies ?? {});
// Usage: node tools/build-service.mjs [entry] [outfile]   (default src/main.ts → dist/main.js)
const [entry = 'src/main.ts', outfile = 'dist/main.js'] = process.argv.slice(2);
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // Workspace libs are bundled; @fan/schemas, @fan/migrations and @fan/dashboard-web still find their
  // .avsc, .sql and built page at run time through require.resolve of their package.json (npm workspaces).
  external: [...deps, '@fan/schemas/package.json', '@fan/migrations/package.json', '@fan/dashboard-web/package.json'],
  logLevel: 'warning',
});
