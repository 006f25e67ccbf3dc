-- Read model: each balance change of an account, for the entries listing and balances as of a past
-- instant; and the direction of an account's freeze.
CREATE TABLE gateway.account_entries (
  account_id            text NOT NULL,
  sequence              bigint NOT NULL,
  event_type            text NOT NULL,
  payment_id            text,
  posted_change_minor   bigint NOT NULL,
  pending_change_minor  bigint NOT NULL,
  posted_after_minor    bigint NOT NULL,
  pending_after_minor   bigint NOT NULL,
  occurred_at           timestamptz NOT NULL,
  PRIMARY KEY (account_id, sequence)
);
CREATE INDEX account_entries_time_idx ON gateway.account_entries (account_id, occurred_at);

ALTER TABLE gateway.accounts ADD COLUMN freeze_mode text NOT NULL DEFAULT 'none';

GRANT SELECT, INSERT ON gateway.account_entries TO gateway_app;
