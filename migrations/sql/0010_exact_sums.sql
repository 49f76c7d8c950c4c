-- Every sum that grows without bound is exact and cannot overflow (issue 22). 0004 capped the sums
-- at 2^53 - 1 with CHECKs, so an event that pushed one past it was dead-lettered whole, its
-- balance_after lost with it. Now the sums are integers of up to 1000 digits (an event adds at most
-- 2^53 - 1, so no real history reaches the cap) and the reads answer them with all their digits.
-- Per-event values (agg_balance.balance, agg_asset_activity.duration_ms) stay bigint: the ways in
-- hold each of them within ±(2^53 - 1). Presence counts count rows, one per identity: they stay
-- bigint too.
ALTER TABLE agg_daily_income DROP CONSTRAINT agg_daily_income_safe;
ALTER TABLE agg_weekly_income DROP CONSTRAINT agg_weekly_income_safe;
ALTER TABLE agg_assets DROP CONSTRAINT agg_assets_safe;
ALTER TABLE agg_asset_daily DROP CONSTRAINT agg_asset_daily_safe;

-- Each ALTER rewrites its table and rebuilds its indexes (agg_weekly_income_rank included) under an
-- exclusive lock: run it with the aggregators and the query API stopped on a large database.
ALTER TABLE agg_daily_income ALTER COLUMN income TYPE numeric(1000, 0);
ALTER TABLE agg_weekly_income ALTER COLUMN income TYPE numeric(1000, 0);
ALTER TABLE agg_assets
  ALTER COLUMN total_duration_ms TYPE numeric(1000, 0),
  ALTER COLUMN total_revenue TYPE numeric(1000, 0),
  ALTER COLUMN like_count TYPE numeric(1000, 0),
  ALTER COLUMN like_amount TYPE numeric(1000, 0),
  ALTER COLUMN progress_likes TYPE numeric(1000, 0),
  ALTER COLUMN progress_duration_ms TYPE numeric(1000, 0);
ALTER TABLE agg_asset_daily
  ALTER COLUMN revenue TYPE numeric(1000, 0),
  ALTER COLUMN duration_ms TYPE numeric(1000, 0);
