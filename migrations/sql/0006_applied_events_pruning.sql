-- The claims of agg_applied_events are needed only while a record can come back: Kafka retention
-- (7 days), DLQ replay (30 days), a producer re-sending. Rows older than the aggregators'
-- APPLIED_RETENTION_DAYS (35) are pruned hourly. BRIN: rows arrive in applied_at order, so the
-- index is tiny and costs the insert path almost nothing.
ALTER TABLE agg_applied_events ADD COLUMN applied_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX agg_applied_events_applied_at ON agg_applied_events USING brin (applied_at);
