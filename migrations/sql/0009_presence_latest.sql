-- Each identity's latest activity event (by occurred_at, then event id): "online now" counts these
-- rows instead of every event of the last three minutes (docs/BENCHMARKS.md, presence).
CREATE TABLE presence_latest (
  identity    text COLLATE "C" PRIMARY KEY,
  occurred_at timestamptz      NOT NULL,
  event_id    text COLLATE "C" NOT NULL,
  ended       boolean          NOT NULL
);
CREATE INDEX presence_latest_at ON presence_latest (occurred_at);
INSERT INTO presence_latest (identity, occurred_at, event_id, ended)
SELECT DISTINCT ON (identity) identity, occurred_at, event_id, ended FROM presence_activity
ORDER BY identity, occurred_at DESC, event_id DESC;
