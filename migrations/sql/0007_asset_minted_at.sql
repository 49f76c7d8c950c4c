-- CONTRACT §3: level progress counts likes and exhibition seconds since the asset entered its
-- current level, which is never before its mint. The earliest mint's instant is kept so that
-- activity stamped before it never counts, whatever order the events arrive in.
ALTER TABLE agg_assets ADD COLUMN minted_at timestamptz;
