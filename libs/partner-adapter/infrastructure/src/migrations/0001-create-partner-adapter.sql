-- The partner adapter's own schema: payouts and every request sent for them, webhook receipts,
-- deposits received, the virtual IBAN map, its outbox and its consumer positions.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'partner_adapter_app') THEN
    CREATE ROLE partner_adapter_app NOLOGIN;
  END IF;
END $$;
GRANT partner_adapter_app TO CURRENT_USER;

-- One row per payment id: a PayoutReserved consumed twice makes one payout. `seq` is the order of
-- reservation as consumed (per account it follows the account's partition), the order of sending.
CREATE TABLE partner_adapter.payouts (
  payment_id          text PRIMARY KEY,
  seq                 bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  account_id          text NOT NULL,
  partner_id          text NOT NULL,
  amount_minor        bigint NOT NULL CHECK (amount_minor > 0),
  currency            char(3) NOT NULL,
  beneficiary_iban    text NOT NULL,
  beneficiary_name    text NOT NULL,
  end_to_end_id       text NOT NULL UNIQUE,
  reference           text,
  state               text NOT NULL CHECK (state IN
    ('queued', 'submitting', 'pending', 'booked', 'rejected', 'returned', 'escalated')),
  bank_transfer_id    text UNIQUE,
  submissions         integer NOT NULL DEFAULT 0,
  checks              integer NOT NULL DEFAULT 0,
  next_send_at        timestamptz NOT NULL,
  next_check_at       timestamptz,
  deadline_at         timestamptz NOT NULL,
  return_watch_until  timestamptz,
  reserved_at         timestamptz NOT NULL,
  escalated_at        timestamptz,
  updated_at          timestamptz NOT NULL
);
CREATE INDEX payouts_queued_idx ON partner_adapter.payouts (seq) WHERE state = 'queued';
CREATE INDEX payouts_account_open_idx ON partner_adapter.payouts (account_id, seq)
  WHERE state IN ('queued', 'submitting');
CREATE INDEX payouts_check_idx ON partner_adapter.payouts (next_check_at)
  WHERE next_check_at IS NOT NULL;

-- Every request sent to the bank for a payout, recorded before it leaves, its outcome after.
CREATE TABLE partner_adapter.attempts (
  attempt_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  payment_id    text NOT NULL REFERENCES partner_adapter.payouts (payment_id),
  call_kind     text NOT NULL CHECK (call_kind IN ('create', 'status')),
  started_at    timestamptz NOT NULL,
  outcome_kind  text CHECK (outcome_kind IN ('answered', 'unknown', 'not_sent')),
  outcome       text,
  http_status   integer,
  latency_ms    integer
);
CREATE INDEX attempts_payment_idx ON partner_adapter.attempts (payment_id, attempt_id);

-- Replay protection: a webhook-id is handled once, however often the bank delivers it.
CREATE TABLE partner_adapter.webhook_receipts (
  webhook_id   text PRIMARY KEY,
  event_type   text NOT NULL,
  received_at  timestamptz NOT NULL
);

-- Money the bank booked for us, once per bank transaction id (suspense when the IBAN is unknown).
CREATE TABLE partner_adapter.deposits (
  bank_transaction_id  text PRIMARY KEY,
  partner_id           text NOT NULL,
  account_id           text NOT NULL,
  creditor_iban        text NOT NULL,
  amount_minor         bigint NOT NULL CHECK (amount_minor > 0),
  currency             char(3) NOT NULL,
  suspense             boolean NOT NULL,
  received_at          timestamptz NOT NULL
);
CREATE INDEX deposits_suspense_idx ON partner_adapter.deposits (received_at) WHERE suspense;

-- Virtual IBAN -> account, learned from AccountOpened.
CREATE TABLE partner_adapter.virtual_ibans (
  iban        text PRIMARY KEY,
  account_id  text NOT NULL,
  currency    char(3) NOT NULL
);

CREATE TABLE partner_adapter.outbox (
  outbox_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic         text NOT NULL,
  message_key   text NOT NULL,
  message_id    text NOT NULL UNIQUE,
  message_type  text NOT NULL,
  payload       jsonb NOT NULL,
  created_at    timestamptz NOT NULL,
  published_at  timestamptz
);
CREATE INDEX outbox_unpublished_idx ON partner_adapter.outbox (outbox_id) WHERE published_at IS NULL;

CREATE TABLE partner_adapter.consumer_offsets (
  consumer_group         text NOT NULL,
  topic                  text NOT NULL,
  partition              integer NOT NULL,
  next_offset            bigint NOT NULL CHECK (next_offset >= 0),
  last_message_identity  text,
  updated_at             timestamptz NOT NULL,
  PRIMARY KEY (consumer_group, topic, partition)
);

GRANT USAGE ON SCHEMA partner_adapter TO partner_adapter_app;
GRANT SELECT, INSERT, UPDATE ON partner_adapter.payouts, partner_adapter.attempts,
  partner_adapter.outbox, partner_adapter.consumer_offsets TO partner_adapter_app;
GRANT SELECT, INSERT ON partner_adapter.webhook_receipts, partner_adapter.deposits,
  partner_adapter.virtual_ibans TO partner_adapter_app;
