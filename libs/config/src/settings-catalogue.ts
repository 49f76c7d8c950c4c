import type { z } from 'zod';
import { CONSUMER_RUNTIME_SETTINGS, GENERAL_SETTINGS, SETTINGS_OF_PART } from './common-settings';
import { DEV_SECRETS } from './parse-env';
import { consumersOf, groupShape, longRunning, PROCESSES, type ProcessEntry } from './processes';

/** One row of the README's settings table. */
export interface SettingRow {
  name: string;
  usedBy: string[];
  default: string;
  meaning: string;
}

/**
 * Settings read by scripts rather than by a process's code (documented here so that the table
 * holds every variable a user can set). `scripts/start.sh` reads them.
 */
const LAUNCHER: Array<Omit<SettingRow, 'usedBy'>> = [
  { name: 'SERVICES', default: 'every long-running process', meaning: 'what `npm start` runs (space-separated)' },
  { name: 'DEMO_TRAFFIC', default: '`true`', meaning: '`false` leaves the demo out' },
  {
    name: 'REPLICAS',
    default: 'unset',
    meaning:
      'scale consumer groups by hand, e.g. `REPLICAS="income-aggregator=2 raw-sink=3"`: the instances share the group\'s partitions; instance i serves `/healthz` on the group\'s port + 100·(i−1)',
  },
  {
    name: 'NODE_HEAP_MB',
    default: '`160`',
    meaning:
      'V8 old-space bound per service process (`--max-old-space-size`), and half of it as where the old generation starts (`--initial-old-space-size`); unbounded, V8 lets garbage reach several times the live set (raw sink 450 MB resident vs about 210 MB); bounded without the starting size, a busy service ran a full collection every ~60 ms',
  },
  {
    name: 'MALLOC_ARENA_MAX',
    default: '`2`',
    meaning:
      "glibc's malloc arenas per service process (also set by the image's entrypoint and the tests' process runner); glibc's default of one per thread kept freed Buffers resident: the income aggregator peaked at 258–271 MiB over a 2M-event backlog, 252–253 with 2, at the same throughput",
  },
  {
    name: 'MONITORING',
    default: '`false`',
    meaning:
      '`true` also runs Prometheus and Alertmanager (Debian packages, installed when missing; `scripts/stack/monitoring.sh`, data in `.local/monitoring`) scraping every process it started, with `deploy/prometheus/alerts.yml`',
  },
  {
    name: 'PROMETHEUS_PORT',
    default: '`9090`',
    meaning: "Prometheus's port; an instance already answering there is reused and left running",
  },
  {
    name: 'ALERTMANAGER_PORT',
    default: '`9193`',
    meaning: "Alertmanager's port (not its default 9093: the local Kafka's controller)",
  },
  {
    name: 'KAFKA_BROKER_COUNT',
    default: '`1`',
    meaning: '`3` runs the pipeline on the local 3-broker cluster (docs/RUNBOOK.md "Kafka as a cluster")',
  },
];

const SECRETS: Record<keyof typeof DEV_SECRETS, { users: string[]; meaning: string }> = {
  JWT_SECRET: { users: ['query-api', 'demo-traffic'], meaning: 'HS256 secret of dashboard tokens (≥ 32 bytes in production)' },
  INGEST_TOKEN: { users: ['ingest'], meaning: 'service token (`Authorization: Bearer …`)' },
};

type Schema = z.ZodTypeAny;

/** What a setting defaults to, as the README shows it. */
export function defaultOf(schema: Schema): string {
  let s = schema;
  for (;;) {
    const def = s._def as { typeName: string; schema?: Schema; innerType?: Schema; defaultValue?: () => unknown };
    if (def.typeName === 'ZodDefault') return `\`${String(def.defaultValue!())}\``;
    if (def.typeName === 'ZodOptional') return 'unset';
    if (def.typeName === 'ZodEffects') s = def.schema!;
    else return 'required';
  }
}

const meaningOf = (name: string, schema: Schema): string => {
  if (!schema.description) throw new Error(`setting ${name} has no .describe(): every setting says what it does`);
  return schema.description;
};

/**
 * Every setting of the manifest's processes, its users derived: a part's settings (Kafka,
 * registry, Postgres, Redis) are used by the processes that use the part; a group's `<PREFIX>_*`
 * rows are folded into one row per suffix with each group's default.
 */
export function settingsCatalogue(manifest: readonly ProcessEntry[] = PROCESSES): SettingRow[] {
  const rows: SettingRow[] = [];
  const names = (ps: readonly ProcessEntry[]) => ps.map((p) => p.name);
  for (const [part, shape] of Object.entries(SETTINGS_OF_PART)) {
    const users = names(manifest.filter((p) => (p.uses as readonly string[]).includes(part)));
    for (const [name, schema] of Object.entries(shape))
      rows.push({ name, usedBy: users, default: defaultOf(schema), meaning: meaningOf(name, schema) });
  }
  for (const [name, schema] of Object.entries(GENERAL_SETTINGS)) {
    const usedBy = name === 'PRESENCE_DAU_MODE' ? ['presence-aggregator', 'query-api'] : names(manifest);
    rows.push({ name, usedBy, default: defaultOf(schema), meaning: meaningOf(name, schema) });
  }
  const consumers = consumersOf(manifest);
  for (const [name, schema] of Object.entries(CONSUMER_RUNTIME_SETTINGS))
    rows.push({ name, usedBy: names(consumers), default: defaultOf(schema), meaning: meaningOf(name, schema) });
  for (const [name, s] of Object.entries(SECRETS))
    rows.push({
      name,
      usedBy: s.users,
      default: `\`${DEV_SECRETS[name as keyof typeof DEV_SECRETS]}\` (development only)`,
      meaning: s.meaning,
    });

  // One row per group setting, e.g. `<PREFIX>_BATCH_MAX`, with every group's default.
  const bySuffix = new Map<string, { meaning: string; defaults: string[] }>();
  for (const g of consumers)
    for (const [name, schema] of Object.entries(groupShape(g))) {
      const suffix = name.slice(g.envPrefix.length + 1);
      const row = bySuffix.get(suffix) ?? { meaning: meaningOf(name, schema), defaults: [] };
      row.defaults.push(`${g.envPrefix} ${defaultOf(schema)}`);
      bySuffix.set(suffix, row);
    }
  for (const [suffix, r] of bySuffix)
    rows.push({ name: `<PREFIX>_${suffix}`, usedBy: names(consumers), default: r.defaults.join(', '), meaning: r.meaning });

  // Each process's own settings; one shared by several (PROGRESS_INTERVAL_MS) is one row.
  const own = new Map<string, SettingRow>();
  for (const p of manifest)
    for (const [name, schema] of Object.entries(p.settings as Record<string, Schema>)) {
      const row = own.get(name);
      if (row) row.usedBy.push(p.name);
      else own.set(name, { name, usedBy: [p.name], default: defaultOf(schema), meaning: meaningOf(name, schema) });
    }
  rows.push(...own.values());
  for (const l of LAUNCHER) rows.push({ ...l, usedBy: ['`npm start`'] });
  return rows;
}

/** Every variable name a user can set (the group settings expanded per prefix), for the deployment checks. */
export function settingNames(manifest: readonly ProcessEntry[] = PROCESSES): Set<string> {
  const out = new Set<string>();
  for (const r of settingsCatalogue(manifest)) if (!r.name.startsWith('<PREFIX>_')) out.add(r.name);
  for (const g of consumersOf(manifest)) for (const name of Object.keys(groupShape(g))) out.add(name);
  return out;
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The README's settings table (between its `settings:begin` and `settings:end` markers). */
export function settingsTable(manifest: readonly ProcessEntry[] = PROCESSES): string {
  const all = longRunning(manifest).map((p) => p.name);
  // "every service" when every long-running process uses it, then the jobs that do as well.
  const users = (u: string[]) =>
    u.length > 1 && all.every((n) => u.includes(n)) ? ['every service', ...u.filter((n) => !all.includes(n))].join(', ') : u.join(', ');
  const groups = consumersOf(manifest)
    .map((g) => `\`${g.envPrefix}\` ${g.name}`)
    .join(', ');
  const lines = [
    `Consumer groups' prefixes: ${groups}.`,
    '',
    '| variable | used by | default | meaning |',
    '|---|---|---|---|',
    ...settingsCatalogue(manifest).map((r) => `| \`${r.name}\` | ${cell(users(r.usedBy))} | ${cell(r.default)} | ${cell(r.meaning)} |`),
  ];
  return lines.join('\n');
}

const BEGIN = /<!-- settings:begin[^>]*-->/;
const END = '<!-- settings:end -->';

/** The README with its generated settings table replaced by the manifest's current one. */
export function replaceSettingsTable(readme: string, manifest: readonly ProcessEntry[] = PROCESSES): string {
  const begin = BEGIN.exec(readme);
  const end = readme.indexOf(END);
  if (!begin || end < begin.index) throw new Error('README.md has no settings:begin … settings:end markers');
  const head = readme.slice(0, begin.index + begin[0].length);
  return `${head}\n${settingsTable(manifest)}\n${readme.slice(end)}`;
}
