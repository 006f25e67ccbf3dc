-- The reconciler's own schema: our records of money at the partner banks (folded from the
-- ledger's and the adapter's events), the statements and their lines, the matching rules and
-- their versions, run requests and runs, matches, exceptions and their proposals, review actions
-- seen, its outbox and its consumer positions.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reconciler_app') THEN
    CREATE ROLE reconciler_app NOLOGIN;
  END IF;
END $$;
GRANT reconciler_app TO CURRENT_USER;

-- One row per payout or deposit; a status only moves up its rank (two topics, any order). Amount
-- and currency are null until a ledger event names them (a partner event may come first).
CREATE TABLE reconciler.records (
  record_id            text PRIMARY KEY,
  kind                 text NOT NULL CHECK (kind IN ('payout', 'deposit')),
  account_id           text NOT NULL,
  partner_id           text NOT NULL,
  credit_debit         text NOT NULL CHECK (credit_debit IN ('CRDT', 'DBIT')),
  amount_minor         bigint CHECK (amount_minor > 0),
  currency             char(3),
  status               text NOT NULL,
  status_rank          smallint NOT NULL,
  end_to_end_id        text,
  bank_transaction_id  text,
  money_date           date,
  updated_at           timestamptz NOT NULL
);
CREATE INDEX records_end_to_end_idx ON reconciler.records (end_to_end_id);
CREATE INDEX records_transaction_idx ON reconciler.records (bank_transaction_id);
CREATE INDEX records_due_idx ON reconciler.records (partner_id, money_date);
CREATE INDEX records_open_idx ON reconciler.records (partner_id) WHERE status_rank < 3;

-- A statement is used once all of its chunks are here (completed_at set).
CREATE TABLE reconciler.statements (
  statement_id   text PRIMARY KEY,
  partner_id     text NOT NULL,
  account_iban   text NOT NULL,
  currency       char(3) NOT NULL,
  statement_date date NOT NULL,
  header         jsonb NOT NULL,
  entry_count    integer NOT NULL,
  chunk_count    integer NOT NULL,
  received_at    timestamptz NOT NULL,
  completed_at   timestamptz
);
CREATE INDEX statements_day_idx ON reconciler.statements (partner_id, statement_date);

CREATE TABLE reconciler.statement_chunks (
  statement_id  text NOT NULL,
  chunk         integer NOT NULL,
  entries       integer NOT NULL,
  PRIMARY KEY (statement_id, chunk)
);

-- One row per transaction of a booked entry.
CREATE TABLE reconciler.statement_lines (
  line_id            text PRIMARY KEY,
  statement_id       text NOT NULL,
  entry_index        integer NOT NULL,
  entry_reference    text NOT NULL,
  transaction_index  integer NOT NULL,
  transaction_count  integer NOT NULL,
  credit_debit       text NOT NULL,
  amount_minor       bigint NOT NULL,
  currency           char(3) NOT NULL,
  booking_date       date NOT NULL,
  reversal           boolean NOT NULL,
  end_to_end_id      text,
  transaction_id     text,
  reason_code        text
);
CREATE INDEX statement_lines_statement_idx ON reconciler.statement_lines (statement_id);

CREATE TABLE reconciler.matching_rules (
  rule_id      text NOT NULL,
  version      integer NOT NULL,
  definition   jsonb NOT NULL,
  activated_at timestamptz NOT NULL,
  PRIMARY KEY (rule_id, version)
);

-- What asks for a run: the schedule, RunReconciliation, a statement completing. Done once.
CREATE TABLE reconciler.run_requests (
  request_id    text PRIMARY KEY,
  partner_id    text NOT NULL,
  run_date      date NOT NULL,
  trigger_kind  text NOT NULL CHECK (trigger_kind IN ('schedule', 'on_demand', 'statement')),
  requested_by  text NOT NULL,
  requested_at  timestamptz NOT NULL,
  run_id        text,
  done_at       timestamptz
);
CREATE INDEX run_requests_waiting_idx ON reconciler.run_requests (requested_at) WHERE done_at IS NULL;

CREATE TABLE reconciler.runs (
  run_id        text PRIMARY KEY,
  partner_id    text NOT NULL,
  run_date      date NOT NULL,
  summary       jsonb NOT NULL,
  completed_at  timestamptz NOT NULL
);

CREATE TABLE reconciler.matches (
  line_id       text PRIMARY KEY,
  record_id     text NOT NULL,
  rule_id       text NOT NULL,
  rule_version  integer NOT NULL,
  run_id        text NOT NULL,
  matched_at    timestamptz NOT NULL
);
CREATE INDEX matches_record_idx ON reconciler.matches (record_id);

CREATE TABLE reconciler.exceptions (
  exception_id         text PRIMARY KEY,
  partner_id           text NOT NULL,
  exception_class      text NOT NULL,
  currency             char(3) NOT NULL,
  amount_at_risk_minor bigint NOT NULL,
  found_date           date NOT NULL,
  run_id               text NOT NULL,
  ledger_side          jsonb NOT NULL,
  bank_side            jsonb NOT NULL,
  accept_bank          jsonb,
  status               text NOT NULL CHECK (status IN ('open', 'resolved')),
  opened_at            timestamptz NOT NULL,
  resolved_at          timestamptz
);
CREATE INDEX exceptions_open_idx ON reconciler.exceptions (opened_at) WHERE status = 'open';

CREATE TABLE reconciler.proposals (
  proposal_id   text PRIMARY KEY,
  exception_id  text NOT NULL REFERENCES reconciler.exceptions (exception_id),
  resolution    text NOT NULL,
  note          text NOT NULL,
  actor         text NOT NULL,
  status        text NOT NULL CHECK (status IN ('waiting', 'approved', 'declined')),
  proposed_at   timestamptz NOT NULL,
  decided_by    text,
  decided_at    timestamptz
);
CREATE UNIQUE INDEX proposals_one_waiting_idx ON reconciler.proposals (exception_id)
  WHERE status = 'waiting';

-- A review action id is applied once (the gateway may send it again).
CREATE TABLE reconciler.review_actions (
  action_id    text PRIMARY KEY,
  exception_id text NOT NULL,
  applied_at   timestamptz NOT NULL
);

CREATE TABLE reconciler.outbox (
  outbox_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic         text NOT NULL,
  message_key   text NOT NULL,
  message_id    text NOT NULL UNIQUE,
  message_type  text NOT NULL,
  payload       jsonb NOT NULL,
  created_at    timestamptz NOT NULL,
  published_at  timestamptz
);
CREATE INDEX outbox_unpublished_idx ON reconciler.outbox (outbox_id) WHERE published_at IS NULL;

CREATE TABLE reconciler.consumer_offsets (
  consumer_group         text NOT NULL,
  topic                  text NOT NULL,
  partition              integer NOT NULL,
  next_offset            bigint NOT NULL CHECK (next_offset >= 0),
  last_message_identity  text,
  updated_at             timestamptz NOT NULL,
  PRIMARY KEY (consumer_group, topic, partition)
);

GRANT USAGE ON SCHEMA reconciler TO reconciler_app;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA reconciler TO reconciler_app;
