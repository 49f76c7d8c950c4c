-- Rebuilds keep history (issue 25). raw_events keeps RAW_RETENTION_DAYS of day partitions; before
-- this migration the raw sink dropped older ones, and a rebuild after day 31 silently lost every
-- all-time figure older than that. Now an expired partition is detached into raw_expired, every
-- rebuildable aggregator folds its rows into its tables' copies in history (the same store code,
-- the same tables' shape), and only then the raw sink drops it. A rebuild starts from history and
-- replays what raw_events still holds (docs/ARCHITECTURE.md, "Rebuilds and history").
--
-- A migration that changes one of these agg_ tables changes its history copy the same way.
CREATE SCHEMA raw_expired;
CREATE SCHEMA history;

CREATE TABLE history.agg_daily_income (LIKE public.agg_daily_income INCLUDING ALL);
CREATE TABLE history.agg_weekly_income (LIKE public.agg_weekly_income INCLUDING ALL);
CREATE TABLE history.agg_balance (LIKE public.agg_balance INCLUDING ALL);
CREATE TABLE history.agg_assets (LIKE public.agg_assets INCLUDING ALL);
CREATE TABLE history.agg_asset_daily (LIKE public.agg_asset_daily INCLUDING ALL);
CREATE TABLE history.agg_asset_activity (LIKE public.agg_asset_activity INCLUDING ALL);
CREATE TABLE history.agg_level_ups (LIKE public.agg_level_ups INCLUDING ALL);

-- Which aggregator folded which expired table (raw_expired.<name>); the raw sink drops a table once
-- every rebuildable aggregator has a row here for it, and deletes the rows with it.
CREATE TABLE raw_folds (
  aggregator    text        NOT NULL,
  expired_table text        NOT NULL,
  events        bigint      NOT NULL,
  folded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (expired_table, aggregator)
);
