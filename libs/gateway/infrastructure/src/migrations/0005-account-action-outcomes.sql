-- Read model: the outcome of each freeze or unfreeze command, keyed by the command id (the events'
-- causation id), with the account's state as that event left it. A request repeated with the same
-- Idempotency-Key is answered from here: the original outcome, not the account's state now.
CREATE TABLE gateway.account_action_outcomes (
  command_id        text PRIMARY KEY,
  account_id        text NOT NULL,
  event_type        text NOT NULL,
  failure_code      text,
  status            text,
  freeze_mode       text,
  posted_minor      bigint,
  pending_minor     bigint,
  last_sequence     bigint,
  occurred_at       timestamptz NOT NULL
);

GRANT SELECT, INSERT ON gateway.account_action_outcomes TO gateway_app;
