-- App activity (CONTRACT §5), kept exactly and incrementally by the presence aggregator.
-- Identities are the user id, or 'install:<install_id>' for an install that is not signed in.

-- Every activity event once (the primary key de-duplicates): "online at T" for now and for any
-- past minute is computed from these, so a process that was down loses nothing.
CREATE TABLE presence_activity (
  identity    text COLLATE "C" NOT NULL,
  occurred_at timestamptz      NOT NULL,
  event_id    text COLLATE "C" NOT NULL,
  ended       boolean          NOT NULL,  -- an app.session_end
  PRIMARY KEY (identity, occurred_at, event_id)
);
CREATE INDEX presence_activity_at ON presence_activity (occurred_at);

-- Active identities per business day (a session start that day), and per province / city.
CREATE TABLE presence_daily_active (
  day      date             NOT NULL,
  identity text COLLATE "C" NOT NULL,
  PRIMARY KEY (day, identity)
);
CREATE TABLE presence_daily_geo (
  day      date             NOT NULL,
  kind     text             NOT NULL CHECK (kind IN ('province', 'city')),
  name     text             NOT NULL,
  identity text COLLATE "C" NOT NULL,
  PRIMARY KEY (day, kind, name, identity)
);
-- Their counts, moved by exactly the rows a chunk added: a DAU read never counts a day's rows.
CREATE TABLE presence_daily_counts (
  day date   PRIMARY KEY,
  dau bigint NOT NULL
);
CREATE TABLE presence_daily_geo_counts (
  day   date   NOT NULL,
  kind  text   NOT NULL,
  name  text   NOT NULL,
  count bigint NOT NULL,
  PRIMARY KEY (day, kind, name)
);
