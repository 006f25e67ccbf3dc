-- Each statement fetch, once per request (a FetchStatement's requestId, or the schedule's
-- `schedule:<date>`), written in the transaction that puts the statement's messages in the outbox:
-- a command delivered twice or a schedule fired twice fetches and publishes once.
CREATE TABLE partner_adapter.statement_fetches (
  request_id      text PRIMARY KEY,
  partner_id      text NOT NULL,
  statement_date  date NOT NULL,
  requested_by    text NOT NULL,
  outcome         text NOT NULL CHECK (outcome IN ('published', 'refused', 'failed')),
  format          text,
  file_sha256     text,
  statement_ids   text[] NOT NULL DEFAULT '{}',
  entry_count     integer NOT NULL DEFAULT 0,
  problem         jsonb,
  fetched_at      timestamptz NOT NULL
);
CREATE INDEX statement_fetches_day_idx ON partner_adapter.statement_fetches (partner_id, statement_date);
GRANT SELECT, INSERT ON partner_adapter.statement_fetches TO partner_adapter_app;
