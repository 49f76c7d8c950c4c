import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { inTransaction } from '@fan/db';
import type { ApplyResult } from '@fan/kafka-runner';
import { RAW_COLUMNS, copyRow } from './copy-rows';
import type { SourcedEvent } from '@fan/events';

const STAGE = 'CREATE TEMP TABLE IF NOT EXISTS raw_stage (LIKE raw_events INCLUDING DEFAULTS) ON COMMIT DELETE ROWS';

// The id insert and the row insert are one statement in one transaction: a row is stored exactly
// when its event_id is new, and a crash between them is impossible.
const MERGE = `WITH fresh AS (
  INSERT INTO raw_event_ids (event_id, occurred_at)
  SELECT event_id, occurred_at FROM raw_stage
  ON CONFLICT (event_id) DO NOTHING
  RETURNING event_id
), stored AS (
  INSERT INTO raw_events (${RAW_COLUMNS})
  SELECT ${RAW_COLUMNS.split(', ').map((c) => `s.${c}`).join(', ')} FROM raw_stage s JOIN fresh USING (event_id)
  RETURNING 1
)
SELECT count(*)::int AS stored FROM stored`;

/**
 * The raw sink's apply step: one COPY of the chunk into a session-local staging table, then one
 * merge that keeps only event_ids never stored before. Three round trips per chunk, none per record.
 */
export function copyToPartitions(pool: Pool) {
  return async (items: SourcedEvent[], partition: number): Promise<ApplyResult> => {
    // Duplicates inside one chunk are dropped here, so the merge never sees an id twice.
    const seen = new Set<string>();
    let text = '';
    for (const { event, offset } of items) {
      if (seen.has(event.event_id)) continue;
      seen.add(event.event_id);
      text += copyRow(event, partition, offset);
    }
    const stored = await inTransaction(pool, async (client) => {
      await client.query(STAGE);
      await new Promise<void>((resolve, reject) => {
        const stream = client.query(copyFrom(`COPY raw_stage (${RAW_COLUMNS}) FROM STDIN`));
        stream.on('finish', resolve);
        stream.on('error', reject);
        stream.end(text);
      });
      return (await client.query<{ stored: number }>(MERGE)).rows[0]?.stored ?? 0;
    });
    return { applied: stored, duplicates: items.length - stored };
  };
}
