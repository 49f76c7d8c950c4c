-- "Latest by (occurred_at, event_id)" must mean the same in Postgres and in the aggregators'
-- JavaScript (compareEventIds): UTF-8 byte order, whatever the database's default collation.
ALTER TABLE agg_balance ALTER COLUMN event_id TYPE text COLLATE "C";
ALTER TABLE agg_assets ALTER COLUMN levelup_event_id TYPE text COLLATE "C";
ALTER TABLE agg_assets ALTER COLUMN exhibition_event_id TYPE text COLLATE "C";
ALTER TABLE agg_asset_activity ALTER COLUMN event_id TYPE text COLLATE "C";
ALTER TABLE agg_level_ups ALTER COLUMN event_id TYPE text COLLATE "C";
ALTER TABLE agg_applied_events ALTER COLUMN event_id TYPE text COLLATE "C";
