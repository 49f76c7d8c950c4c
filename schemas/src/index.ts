/**
 * The seven event types, their Avro schemas (schemas/avro/*.avsc) and the asset levels.
 * Schemas are plain JSON files so that non-TypeScript services can share them.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import levelsJson from '../levels.json';

export const EVENT_TYPES = [
  'asset.like',
  'asset.mint',
  'exhibition.start',
  'exhibition.end',
  'exhibition.revenue',
  'asset.level_up',
  'crystal.change',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** App activity (CONTRACT §5): app-wide, keyed by identity, on their own topic (docs/ARCHITECTURE.md). */
export const ACTIVITY_TYPES = ['app.session_start', 'app.session_end', 'presence.heartbeat'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
/** Every type with an Avro schema and a registry subject. */
export const ALL_TYPES = [...EVENT_TYPES, ...ACTIVITY_TYPES] as const;
export type AnyType = EventType | ActivityType;

export interface AvroRecordSchema {
  type: 'record';
  name: string;
  namespace: string;
  doc?: string;
  fields: unknown[];
}

// Resolved through the package so it works from sources, tests and bundled services alike.
const AVRO_DIR = join(dirname(require.resolve('@fan/schemas/package.json')), 'avro');

export const AVRO_SCHEMAS: Readonly<Record<AnyType, AvroRecordSchema>> = Object.fromEntries(
  ALL_TYPES.map((t) => [t, JSON.parse(readFileSync(join(AVRO_DIR, `${t}.avsc`), 'utf8')) as AvroRecordSchema]),
) as Record<AnyType, AvroRecordSchema>;

/** Full name of the Avro record, e.g. fan.dashboard.events.AssetLike; also its registry subject. */
export function recordFullName(type: AnyType): string {
  const s = AVRO_SCHEMAS[type];
  return `${s.namespace}.${s.name}`;
}

const typeByFullName = new Map<string, AnyType>(ALL_TYPES.map((t) => [recordFullName(t), t]));
export function eventTypeOfRecord(fullName: string): AnyType | undefined {
  return typeByFullName.get(fullName);
}

export interface LevelThreshold {
  next: string;
  likes_required: number;
  exhibition_seconds_required: number;
}
export const LEVELS: readonly string[] = levelsJson.order;
export const LEVEL_THRESHOLDS: Readonly<Record<string, LevelThreshold>> = levelsJson.thresholds;
export const TOP_LEVEL: string = LEVELS[LEVELS.length - 1] as string;
export function levelIndex(level: string): number {
  return LEVELS.indexOf(level);
}
