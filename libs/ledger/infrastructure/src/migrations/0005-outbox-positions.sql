-- Publishing no longer rewrites each outbox row (that doubled the outbox's write-ahead log): each
-- partition keeps one row saying up to which outbox id it has published. Within a partition, outbox
-- ids grow in commit order, because its single writer commits one batch after another.
CREATE TABLE ledger.outbox_positions (
  source_partition   integer PRIMARY KEY,
  published_through  bigint NOT NULL,
  updated_at         timestamptz NOT NULL
);

INSERT INTO ledger.outbox_positions (source_partition, published_through, updated_at)
SELECT source_partition,
       COALESCE(min(outbox_id) FILTER (WHERE published_at IS NULL) - 1, max(outbox_id)),
       now()
FROM ledger.outbox GROUP BY source_partition;

DROP INDEX ledger.outbox_unpublished_idx;
CREATE INDEX outbox_partition_idx ON ledger.outbox (source_partition, outbox_id);

GRANT SELECT, INSERT, UPDATE ON ledger.outbox_positions TO ledger_app;
