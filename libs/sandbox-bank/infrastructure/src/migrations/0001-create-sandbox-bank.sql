-- The sandbox bank's own schema: it stands in for a partner bank, so it shares nothing with the
-- platform's services. Every state change is a row; nothing is kept only in memory.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sandbox_bank_app') THEN
    CREATE ROLE sandbox_bank_app NOLOGIN;
  END IF;
END $$;
GRANT sandbox_bank_app TO CURRENT_USER;
GRANT USAGE ON SCHEMA sandbox_bank TO sandbox_bank_app;

-- Our settlement account (and any other the bank keeps), one balance per currency.
CREATE TABLE sandbox_bank.account_balances (
  iban           text NOT NULL,
  currency       text NOT NULL,
  balance_minor  bigint NOT NULL,
  updated_at     timestamptz NOT NULL,
  PRIMARY KEY (iban, currency)
);

-- Idempotency keys, kept at least 30 days; the primary key is what makes concurrent requests
-- with one key create one transfer (or one credit).
CREATE TABLE sandbox_bank.idempotency_keys (
  scope            text NOT NULL CHECK (scope IN ('transfer', 'credit')),
  idempotency_key  text NOT NULL,
  fingerprint      text NOT NULL,
  resource_id      text NOT NULL,
  created_at       timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX idempotency_keys_expiry_idx ON sandbox_bank.idempotency_keys (expires_at);

CREATE TABLE sandbox_bank.transfers (
  transfer_id            text PRIMARY KEY,
  debtor_iban            text NOT NULL,
  creditor_iban          text NOT NULL,
  creditor_name          text NOT NULL,
  amount_minor           bigint NOT NULL CHECK (amount_minor > 0),
  currency               text NOT NULL,
  end_to_end_id          text NOT NULL,
  remittance_information text,
  status                 text NOT NULL
                         CHECK (status IN ('accepted', 'booked', 'rejected', 'returned')),
  reason_code            text,
  created_at             timestamptz NOT NULL,
  book_after             timestamptz NOT NULL,
  booked_at              timestamptz,
  return_after           timestamptz,
  return_reason_code     text,
  returned_at            timestamptz
);
CREATE INDEX transfers_end_to_end_idx ON sandbox_bank.transfers (end_to_end_id);
CREATE INDEX transfers_due_booking_idx ON sandbox_bank.transfers (book_after)
  WHERE status = 'accepted';
CREATE INDEX transfers_due_return_idx ON sandbox_bank.transfers (return_after)
  WHERE status = 'booked' AND return_after IS NOT NULL;

CREATE TABLE sandbox_bank.transfer_status_history (
  transfer_id  text NOT NULL REFERENCES sandbox_bank.transfers (transfer_id),
  sequence     integer NOT NULL,
  status       text NOT NULL,
  reason_code  text,
  changed_at   timestamptz NOT NULL,
  PRIMARY KEY (transfer_id, sequence)
);

-- Money wired to one of our virtual IBANs by a customer (simulated through /admin/credits).
CREATE TABLE sandbox_bank.inbound_credits (
  credit_id              text PRIMARY KEY,
  creditor_iban          text NOT NULL,
  debtor_iban            text NOT NULL,
  debtor_name            text NOT NULL,
  amount_minor           bigint NOT NULL CHECK (amount_minor > 0),
  currency               text NOT NULL,
  end_to_end_id          text NOT NULL,
  remittance_information text,
  booked_at              timestamptz NOT NULL
);

-- Every booked movement of an account: what statements are made of, and what its balance is.
CREATE TABLE sandbox_bank.entries (
  entry_id               text PRIMARY KEY,
  account_iban           text NOT NULL,
  kind                   text NOT NULL
                         CHECK (kind IN ('opening', 'transfer_booked', 'transfer_returned',
                                         'credit_booked')),
  transaction_id         text NOT NULL,
  credit_debit           text NOT NULL CHECK (credit_debit IN ('CRDT', 'DBIT')),
  amount_minor           bigint NOT NULL CHECK (amount_minor > 0),
  currency               text NOT NULL,
  booking_date           date NOT NULL,
  booked_at              timestamptz NOT NULL,
  end_to_end_id          text NOT NULL,
  counterparty_iban      text NOT NULL,
  counterparty_name      text NOT NULL,
  remittance_information text,
  reason_code            text,
  UNIQUE (kind, transaction_id)
);
CREATE INDEX entries_day_idx ON sandbox_bank.entries (account_iban, booking_date);

-- Webhooks waiting to be delivered (an outbox): a delivery survives a restart and is retried
-- with backoff until answered 2xx; `webhook_id` is the same on every attempt.
CREATE TABLE sandbox_bank.webhook_deliveries (
  webhook_id       text PRIMARY KEY,
  event_type       text NOT NULL,
  payload          text NOT NULL,
  created_at       timestamptz NOT NULL,
  next_attempt_at  timestamptz NOT NULL,
  attempts         integer NOT NULL DEFAULT 0,
  -- A fault: once delivered, it is sent a second time (same webhook-id).
  duplicate        boolean NOT NULL DEFAULT false,
  delivered_at     timestamptz,
  abandoned_at     timestamptz,
  last_status      integer,
  last_error       text
);
CREATE INDEX webhook_deliveries_due_idx ON sandbox_bank.webhook_deliveries (next_attempt_at)
  WHERE delivered_at IS NULL AND abandoned_at IS NULL;

-- The fault settings in force (one row), so that a restart keeps what PUT /admin/faults set.
CREATE TABLE sandbox_bank.fault_settings (
  singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  settings    jsonb NOT NULL,
  updated_at  timestamptz NOT NULL
);

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA sandbox_bank TO sandbox_bank_app;
