-- Named operators (admins with keys of their own, created by the bootstrap admin key) and the
-- review queue of reconciliation exceptions. The operator's key lives in gateway.api_keys like any
-- client's (client id `operator:<name>`, scope admin), so the key cache and its notifications
-- cover it; this table names the operator and who created them.
CREATE TABLE gateway.operators (
  name        text PRIMARY KEY,
  client_id   text NOT NULL UNIQUE REFERENCES gateway.clients (client_id),
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL
);

-- Read models projected from reconciliation.events.v1 (consumer group gateway-reconciliation).
CREATE TABLE gateway.reconciliation_exceptions (
  exception_id          text PRIMARY KEY,
  partner_id            text NOT NULL,
  run_id                text NOT NULL,
  class                 text NOT NULL,
  currency              char(3) NOT NULL,
  amount_at_risk_minor  bigint NOT NULL CHECK (amount_at_risk_minor > 0),
  statement_date        date NOT NULL,
  ledger_side           jsonb NOT NULL,
  bank_side             jsonb NOT NULL,
  accept_bank_effect    text,
  status                text NOT NULL CHECK (status IN ('open', 'awaiting_approval', 'resolved')),
  resolution            text,
  resolution_note       text,
  resolved_by           text,
  approved_by           text,
  ledger_command_id     text,
  detected_at           timestamptz NOT NULL,
  resolved_at           timestamptz
);
CREATE INDEX reconciliation_exceptions_age_idx
  ON gateway.reconciliation_exceptions (status, detected_at, exception_id);

CREATE TABLE gateway.reconciliation_proposals (
  proposal_id        text PRIMARY KEY,
  exception_id       text NOT NULL REFERENCES gateway.reconciliation_exceptions (exception_id),
  resolution         text NOT NULL,
  note               text NOT NULL,
  actor              text NOT NULL,
  requires_approval  boolean NOT NULL,
  status             text NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
  decided_by         text,
  decision_note      text,
  ledger_command_id  text,
  proposed_at        timestamptz NOT NULL,
  decided_at         timestamptz
);
CREATE INDEX reconciliation_proposals_exception_idx
  ON gateway.reconciliation_proposals (exception_id, proposed_at);

-- Every event about an exception, by its envelope id (a redelivery adds nothing): the audit trail.
CREATE TABLE gateway.reconciliation_audit (
  event_id      text PRIMARY KEY,
  exception_id  text NOT NULL,
  event_type    text NOT NULL,
  actor         text,
  detail        jsonb NOT NULL,
  at            timestamptz NOT NULL
);
CREATE INDEX reconciliation_audit_exception_idx ON gateway.reconciliation_audit (exception_id, at);

-- The actions operators sent through the gateway (written with the command, in one transaction)
-- and what the reconciler made of them (the projection marks them done or refused).
CREATE TABLE gateway.reconciliation_actions (
  action_id       text PRIMARY KEY,
  exception_id    text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('propose', 'approve', 'decline')),
  actor           text NOT NULL,
  proposal_id     text,
  status          text NOT NULL CHECK (status IN ('sent', 'done', 'refused')),
  refusal_code    text,
  refusal_detail  text,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX reconciliation_actions_exception_idx
  ON gateway.reconciliation_actions (exception_id, created_at);

CREATE TABLE gateway.reconciliation_runs (
  run_id                   text PRIMARY KEY,
  partner_id               text NOT NULL,
  statement_date           date NOT NULL,
  trigger                  text NOT NULL,
  requested_by             text NOT NULL,
  statement_found          boolean NOT NULL,
  lines_total              integer NOT NULL,
  counts                   jsonb NOT NULL,
  matched_by_rule          jsonb NOT NULL,
  match_rate_basis_points  integer NOT NULL,
  new_exceptions           integer NOT NULL,
  auto_resolved            integer NOT NULL,
  differences_booked       integer NOT NULL,
  duration_ms              integer NOT NULL,
  started_at               timestamptz NOT NULL,
  completed_at             timestamptz NOT NULL
);
CREATE INDEX reconciliation_runs_completed_idx ON gateway.reconciliation_runs (completed_at DESC);

CREATE TABLE gateway.matching_rules (
  rule_id       text NOT NULL,
  version       integer NOT NULL,
  strategy      text NOT NULL,
  description   text NOT NULL,
  parameters    jsonb NOT NULL,
  active        boolean NOT NULL,
  activated_at  timestamptz NOT NULL,
  PRIMARY KEY (rule_id, version)
);

GRANT SELECT, INSERT ON gateway.operators, gateway.reconciliation_audit TO gateway_app;
GRANT SELECT, INSERT, UPDATE ON gateway.reconciliation_exceptions, gateway.reconciliation_proposals,
  gateway.reconciliation_actions, gateway.reconciliation_runs, gateway.matching_rules
  TO gateway_app;
