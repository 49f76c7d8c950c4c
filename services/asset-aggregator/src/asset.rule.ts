import type { AggregateRule } from '@fan/aggregation';
import { announcedReads, processEntry } from '@fan/config';
import type { EventType } from '@fan/events';
import { storeAssets } from './asset.store';

const ENTRY = processEntry('asset-aggregator');

/** What the asset aggregator owns (a rebuild empties and refills exactly these; its manifest entry). */
export const ASSET_TABLES = ENTRY.owns.tables;

/**
 * Mints, likes, exhibitions, revenue and level-ups → per-asset state, 7-day windows, level
 * progress and recent level-ups.
 */
export const ASSET_RULE: AggregateRule = {
  name: ENTRY.name,
  types: new Set(Object.keys(ENTRY.announces) as EventType[]),
  announces: announcedReads(ENTRY),
  store: (client, fresh, _changes, { tz }) => storeAssets(client, fresh, tz),
};
