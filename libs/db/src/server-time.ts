import type { Pool } from 'pg';

/** Postgres's clock, epoch ms (a consumer's reference when its own host's clock may be off). */
export const postgresTime = (pool: Pool) => async (): Promise<number> =>
  Number((await pool.query<{ ms: string }>('SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint::text AS ms')).rows[0]!.ms);
