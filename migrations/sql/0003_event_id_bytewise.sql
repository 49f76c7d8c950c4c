-- The de-duplication key is compared byte-wise: ids are opaque, and the "C" collation lets the
-- primary key's B-tree compare with memcmp instead of the locale's strcoll on every insert.
ALTER TABLE raw_event_ids ALTER COLUMN event_id TYPE text COLLATE "C";
