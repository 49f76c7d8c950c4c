-- Aggregates the seven reads need, kept up to date event by event (no recomputation loops).
-- Every table is keyed by (star_id, user_id, ...): a read touches only its own pair's rows.

-- Exactly-once in effect: an aggregator inserts the event_ids of a chunk here in the same
-- transaction as the aggregate updates, and applies only the ids that were new.
CREATE TABLE agg_applied_events (
  aggregator  text        NOT NULL,
  event_id    text        NOT NULL,
  occurred_at timestamptz NOT NULL,
  PRIMARY KEY (aggregator, event_id)
);

-- Income = sum of positive crystal.change amounts, per business day and per business week.
CREATE TABLE agg_daily_income (
  star_id bigint NOT NULL,
  user_id bigint NOT NULL,
  day     date   NOT NULL,
  income  bigint NOT NULL,
  PRIMARY KEY (star_id, user_id, day)
);

CREATE TABLE agg_weekly_income (
  star_id bigint NOT NULL,
  week    date   NOT NULL,  -- the Monday that starts the business week
  user_id bigint NOT NULL,
  income  bigint NOT NULL,
  PRIMARY KEY (star_id, week, user_id)
);
-- week_rank = 1 + users of the star-week with strictly more income: an index range count.
CREATE INDEX agg_weekly_income_rank ON agg_weekly_income (star_id, week, income);

-- Balance = balance_after of the latest crystal.change by (occurred_at, event_id).
CREATE TABLE agg_balance (
  star_id     bigint      NOT NULL,
  user_id     bigint      NOT NULL,
  balance     bigint      NOT NULL,
  occurred_at timestamptz NOT NULL,
  event_id    text        NOT NULL,
  PRIMARY KEY (star_id, user_id)
);

-- One row per asset of an owner: mint facts, current level, exhibition state, all-time totals and
-- level progress. "Latest" facts carry their (occurred_at, event_id) so that a late event only
-- wins when it really is later.
CREATE TABLE agg_assets (
  star_id            bigint      NOT NULL,
  user_id            bigint      NOT NULL,
  asset_id           bigint      NOT NULL,
  minted             boolean     NOT NULL DEFAULT false,
  mint_level         text,
  asset_name         text        NOT NULL DEFAULT '',
  asset_thumb        text        NOT NULL DEFAULT '',
  levelup_level      text,                 -- to_level of the latest level-up
  levelup_at         timestamptz,          -- when the asset entered its current level (latest level-up)
  levelup_event_id   text,
  exhibiting         boolean     NOT NULL DEFAULT false,
  exhibition_at      timestamptz,
  exhibition_event_id text,
  total_duration_ms  bigint      NOT NULL DEFAULT 0,  -- all-time exhibition.end duration_ms
  total_revenue      bigint      NOT NULL DEFAULT 0,  -- all-time exhibition.revenue amount
  like_count         bigint      NOT NULL DEFAULT 0,
  like_amount        bigint      NOT NULL DEFAULT 0,
  progress_likes     bigint      NOT NULL DEFAULT 0,  -- likes since levelup_at
  progress_duration_ms bigint    NOT NULL DEFAULT 0,  -- exhibition.end duration since levelup_at
  PRIMARY KEY (star_id, user_id, asset_id)
);

-- Per asset and business day, for the 7-day windows of exhibition-summary.
CREATE TABLE agg_asset_daily (
  star_id     bigint NOT NULL,
  user_id     bigint NOT NULL,
  day         date   NOT NULL,
  asset_id    bigint NOT NULL,
  revenue     bigint NOT NULL DEFAULT 0,
  duration_ms bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (star_id, user_id, day, asset_id)
);

-- Likes and exhibition ends of assets, kept only while they may still count towards progress:
-- when a later level-up arrives, progress is recounted from here and older rows are deleted.
CREATE TABLE agg_asset_activity (
  star_id     bigint      NOT NULL,
  user_id     bigint      NOT NULL,
  asset_id    bigint      NOT NULL,
  occurred_at timestamptz NOT NULL,
  event_id    text        NOT NULL,
  likes       integer     NOT NULL,
  duration_ms bigint      NOT NULL,
  PRIMARY KEY (star_id, user_id, asset_id, occurred_at, event_id)
);

CREATE TABLE agg_level_ups (
  star_id     bigint      NOT NULL,
  user_id     bigint      NOT NULL,
  occurred_at timestamptz NOT NULL,
  event_id    text        NOT NULL,
  asset_id    bigint      NOT NULL,
  to_level    text        NOT NULL,
  PRIMARY KEY (star_id, user_id, occurred_at, event_id)
);
