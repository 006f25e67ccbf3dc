-- Who may credit an account is the owner's decision, kept by the gateway itself: it is not derived
-- from ledger events, so it lives outside the read models and `npm run rebuild:gateway` never
-- empties it. No foreign key to gateway.accounts, because a rebuild deletes and recreates those rows.
CREATE TABLE gateway.account_settings (
  account_id                          text PRIMARY KEY,
  client_id                           text NOT NULL,
  accepts_credits_from_other_clients  boolean NOT NULL DEFAULT false,
  updated_at                          timestamptz NOT NULL,
  updated_by                          text NOT NULL
);

-- Which leg refused a rejected transfer: 'debit' (the source's side) or 'credit' (the destination's).
-- A payer who cannot see the destination is shown a neutral code for a refusal of the credit leg.
ALTER TABLE gateway.payments ADD COLUMN failed_leg text CHECK (failed_leg IN ('debit', 'credit'));
-- Rejections projected before this column existed: a refund entry means the credit leg refused it.
UPDATE gateway.payments p SET failed_leg = CASE WHEN EXISTS (SELECT 1 FROM gateway.account_entries e
    WHERE e.payment_id = p.payment_id AND e.event_type = 'TransferRefunded') THEN 'credit' ELSE 'debit' END
  WHERE p.kind = 'transfer' AND p.status = 'rejected';

-- A payment is visible to the owners of both of its accounts; these serve listings by account.
CREATE INDEX payments_source_idx ON gateway.payments (source_account_id, created_at DESC, payment_id DESC);
CREATE INDEX payments_destination_idx
  ON gateway.payments (destination_account_id, created_at DESC, payment_id DESC);

GRANT SELECT, INSERT, UPDATE ON gateway.account_settings TO gateway_app;
