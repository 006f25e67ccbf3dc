-- The W3C trace context of the command that decided each event (issue 12): stored with the event
-- row, which is what gets published, so an event published by the sweep after a crash keeps the
-- trace of the request that caused it. Nullable: older events and untraced commands have none.
-- Adding a nullable column without a default rewrites nothing, on the parent and its partitions.
ALTER TABLE ledger.events ADD COLUMN IF NOT EXISTS traceparent text;
