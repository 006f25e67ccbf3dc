-- Read model: the outcome of each freeze or unfreeze command the gateway sent, keyed by the command
-- id (the events' causation id), with the account as that event left it. A request repeated with
-- the same Idempotency-Key is answered from here: the original outcome, not the account's state now.
CREATE TABLE gateway.account_action_outcomes (
  command_id        text PRIMARY KEY,
  account_id        text NOT NULL,
  event_type        text NOT NULL,
  failure_code      text,
  account_sequence  bigint,
  account           jsonb,
  occurred_at       timestamptz NOT NULL
);

GRANT SELECT, INSERT ON gateway.account_action_outcomes TO gateway_app;
