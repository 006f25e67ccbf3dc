-- Each fact is written once: the event row is what gets published, with no second copy of its
-- payload in the outbox (which keeps follow-up commands and dead letters only). Events get the
-- command partition that wrote them and a position in one increasing sequence: a partition's events
-- are published in that order, and its published position is tracked like the outbox's.
-- Events written before this migration have no position: they were published through the outbox.
CREATE SEQUENCE ledger.event_publication_positions;
GRANT USAGE ON SEQUENCE ledger.event_publication_positions TO ledger_app;

ALTER TABLE ledger.events ADD COLUMN source_partition integer, ADD COLUMN publication_position bigint;
CREATE INDEX events_publication_idx ON ledger.events (source_partition, publication_position)
  WHERE publication_position IS NOT NULL;

ALTER TABLE ledger.outbox_positions ADD COLUMN events_published_through bigint NOT NULL DEFAULT 0;
