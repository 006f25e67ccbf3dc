-- The rules in force are those of the latest MatchingRulesActivated by its time, whatever order
-- the projection read the events in (they come keyed per partner, on several partitions): each
-- rule version keeps the latest time an activation listed it.
ALTER TABLE gateway.matching_rules ADD COLUMN listed_at timestamptz;
UPDATE gateway.matching_rules SET listed_at = activated_at;
ALTER TABLE gateway.matching_rules ALTER COLUMN listed_at SET NOT NULL;
