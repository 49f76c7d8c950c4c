import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { inTransaction } from '@fan/db';
import type { ApplyResult } from '@fan/kafka-runner';
import type { SourcedEvent } from '@fan/events';
import { RAW_COLUMNS, copyChunk, type CopyChunk } from './copy-binary';

const UNIQUE_VIOLATION = '23505';
/** After a chunk met an already stored id, this many chunks of its partition take the merge path. */
const MERGE_CHUNKS_AFTER_CONFLICT = 8;

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
  SELECT ${RAW_COLUMNS.split(', ')
    .map((c) => `s.${c}`)
    .join(', ')} FROM raw_stage s JOIN fresh f ON f.event_id = s.event_id COLLATE "C"
  RETURNING 1
)
SELECT count(*)::int AS stored FROM stored`;

function copyIn(client: PoolClient, sql: string, data: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const stream = client.query(copyFrom(`${sql} FROM STDIN (FORMAT binary)`));
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(data);
  });
}

/** Common case, nothing stored before: the ids and the rows go straight in, two COPYs. */
async function copyDirect(client: PoolClient, chunk: CopyChunk): Promise<number> {
  await copyIn(client, 'COPY raw_event_ids (event_id, occurred_at)', chunk.ids);
  await copyIn(client, `COPY raw_events (${RAW_COLUMNS})`, chunk.rows);
  return chunk.count;
}

/** A replayed or re-published chunk: stage it, then keep only the ids never stored before. */
async function copyMerge(client: PoolClient, chunk: CopyChunk): Promise<number> {
  await client.query(STAGE);
  await copyIn(client, `COPY raw_stage (${RAW_COLUMNS})`, chunk.rows);
  return (await client.query<{ stored: number }>(MERGE)).rows[0]?.stored ?? 0;
}

/**
 * The raw sink's apply step. COPY cannot skip conflicts, so a chunk is first tried as two plain
 * COPYs (ids, then rows) and, if any id was stored before (the unique key refuses it and the
 * transaction rolls back as a whole), applied again through a staging table and a de-duplicating
 * merge. A partition that just met a duplicate keeps the merge path for a few chunks, because
 * replays after a restart or rebalance come in runs. No round trip per record on either path.
 */
export function copyToPartitions(pool: Pool) {
  const mergeChunksLeft = new Map<number, number>();
  return async (items: SourcedEvent[], partition: number): Promise<ApplyResult> => {
    const chunk = copyChunk(items, partition);
    const left = mergeChunksLeft.get(partition) ?? 0;
    if (left === 0) {
      try {
        const stored = await inTransaction(pool, (client) => copyDirect(client, chunk));
        return { applied: stored, duplicates: items.length - stored };
      } catch (err) {
        if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
        mergeChunksLeft.set(partition, MERGE_CHUNKS_AFTER_CONFLICT);
      }
    } else {
      mergeChunksLeft.set(partition, left - 1);
    }
    const stored = await inTransaction(pool, (client) => copyMerge(client, chunk));
    return { applied: stored, duplicates: items.length - stored };
  };
}
