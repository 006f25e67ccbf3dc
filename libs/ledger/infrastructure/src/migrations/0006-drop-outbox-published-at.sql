-- Publication is tracked per partition in ledger.outbox_positions (0005); the per-row column is unused.
ALTER TABLE ledger.outbox DROP COLUMN published_at;
