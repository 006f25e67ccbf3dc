-- Payouts (issue #10): a payment whose money leaves the platform through a partner bank. It has no
-- destination account; its bank-side details live in gateway.payouts, and every status it reaches
-- is recorded once, with its time, in gateway.payment_status_history. Accounts get the virtual IBAN
-- the gateway assigned them at opening (unique: deposits to it credit exactly that account).

ALTER TABLE gateway.payments DROP CONSTRAINT payments_kind_check;
ALTER TABLE gateway.payments ADD CONSTRAINT payments_kind_check
  CHECK (kind IN ('transfer', 'deposit', 'payout'));
ALTER TABLE gateway.payments DROP CONSTRAINT payments_status_check;
ALTER TABLE gateway.payments ADD CONSTRAINT payments_status_check
  CHECK (status IN ('processing', 'pending', 'completed', 'failed', 'rejected', 'returned'));
ALTER TABLE gateway.payments ALTER COLUMN destination_account_id DROP NOT NULL;
ALTER TABLE gateway.payments ADD CONSTRAINT payments_destination_check
  CHECK (kind = 'payout' OR destination_account_id IS NOT NULL);

CREATE TABLE gateway.payouts (
  payment_id        text PRIMARY KEY,
  partner_id        text NOT NULL,
  beneficiary_iban  text NOT NULL,
  beneficiary_name  text NOT NULL,
  beneficiary_bic   text,
  end_to_end_id     text NOT NULL,
  -- The bank's id for the transfer, once the partner adapter or the settlement told it.
  bank_reference    text,
  -- The ledger has decided (held the funds or refused): a waiting request answers 201.
  decided           boolean NOT NULL DEFAULT false,
  escalated_at      timestamptz
);

CREATE TABLE gateway.payment_status_history (
  payment_id    text NOT NULL,
  status        text NOT NULL
    CHECK (status IN ('processing', 'pending', 'completed', 'failed', 'rejected', 'returned')),
  failure_code  text,
  occurred_at   timestamptz NOT NULL,
  PRIMARY KEY (payment_id, status)
);

ALTER TABLE gateway.accounts ADD COLUMN virtual_iban text UNIQUE;

GRANT SELECT, INSERT, UPDATE ON gateway.payouts, gateway.payment_status_history TO gateway_app;
