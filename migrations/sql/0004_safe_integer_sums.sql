-- Every amount and sum the reads return is a JSON number, exact only up to 2^53 - 1. Inputs are
-- refused beyond that at every way in; these checks refuse the sums: an event that would push a
-- stored sum past it fails with SQLSTATE 23514, which the consumers treat as that record's fault
-- (dead-lettered with the reason, the rest of its chunk applied). NOT VALID: existing rows are not
-- rescanned, new writes are checked.
ALTER TABLE agg_daily_income ADD CONSTRAINT agg_daily_income_safe CHECK (income BETWEEN -9007199254740991 AND 9007199254740991) NOT VALID;
ALTER TABLE agg_weekly_income ADD CONSTRAINT agg_weekly_income_safe CHECK (income BETWEEN -9007199254740991 AND 9007199254740991) NOT VALID;
ALTER TABLE agg_assets ADD CONSTRAINT agg_assets_safe CHECK (
  total_duration_ms <= 9007199254740991 AND total_revenue <= 9007199254740991 AND like_count <= 9007199254740991
  AND like_amount <= 9007199254740991 AND progress_likes <= 9007199254740991 AND progress_duration_ms <= 9007199254740991
) NOT VALID;
ALTER TABLE agg_asset_daily ADD CONSTRAINT agg_asset_daily_safe CHECK (revenue <= 9007199254740991 AND duration_ms <= 9007199254740991) NOT VALID;
