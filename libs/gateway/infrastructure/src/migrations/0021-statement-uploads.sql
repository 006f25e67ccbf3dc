-- Statements uploaded by an admin (POST /v1/admin/statements), once per partner and file: the
-- record and the statement's outbox messages are written in one transaction.
CREATE TABLE gateway.statement_uploads (
  partner_id     text NOT NULL,
  file_sha256    text NOT NULL,
  format         text NOT NULL,
  uploaded_by    text NOT NULL,
  statement_ids  text[] NOT NULL,
  entry_count    integer NOT NULL,
  uploaded_at    timestamptz NOT NULL,
  PRIMARY KEY (partner_id, file_sha256)
);
GRANT SELECT, INSERT ON gateway.statement_uploads TO gateway_app;
