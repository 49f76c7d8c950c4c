-- Raw events, one row per event_id, partitioned by business day of occurred_at.
-- Partitions raw_events_pYYYYMMDD are created ahead and dropped after retention by the raw sink;
-- the DEFAULT partition catches any event whose day has no partition yet, so nothing is refused.
CREATE TABLE raw_events (
  event_id        text        NOT NULL,
  event_type      text        NOT NULL,
  user_id         bigint      NOT NULL,
  star_id         bigint      NOT NULL,
  asset_id        bigint,
  occurred_at     timestamptz NOT NULL,
  properties      jsonb       NOT NULL,
  kafka_partition integer     NOT NULL,
  kafka_offset    bigint      NOT NULL,
  stored_at       timestamptz NOT NULL DEFAULT now()
) PARTITION BY RANGE (occurred_at);

CREATE TABLE raw_events_default PARTITION OF raw_events DEFAULT;

CREATE INDEX raw_events_star_user_time ON raw_events (star_id, user_id, occurred_at);

-- A unique index on a partitioned table must contain the partition key, so event_id alone cannot be
-- unique there. This table is the de-duplication key, written in the same transaction as the row.
CREATE TABLE raw_event_ids (
  event_id    text        PRIMARY KEY,
  occurred_at timestamptz NOT NULL
);
