-- Freezes by direction, per-debit limits, holds for payouts, and the per-account hash chain.

ALTER TABLE ledger.accounts
  ADD COLUMN freeze_mode text NOT NULL DEFAULT 'none' CHECK (freeze_mode IN ('none', 'debits', 'credits', 'all')),
  ADD COLUMN per_debit_limit_minor bigint CHECK (per_debit_limit_minor > 0),
  ADD COLUMN last_hash text NOT NULL DEFAULT '';
ALTER TABLE ledger.accounts DROP CONSTRAINT accounts_kind_check;
ALTER TABLE ledger.accounts ADD CONSTRAINT accounts_kind_check
  CHECK (kind IN ('customer', 'transit', 'settlement', 'adjustment'));

-- The head of each account's chain is in accounts.last_hash; every stream event carries its link.
ALTER TABLE ledger.events ADD COLUMN hash text;

-- A hold reserves funds for a payout; its outcome (settled or released) is a separate fact.
CREATE TABLE ledger.holds (
  hold_id       text PRIMARY KEY,
  account_id    text NOT NULL REFERENCES ledger.accounts (account_id),
  amount_minor  bigint NOT NULL CHECK (amount_minor > 0),
  currency      char(3) NOT NULL,
  partner_id    text NOT NULL,
  recorded_at   timestamptz NOT NULL
);
CREATE INDEX holds_account_idx ON ledger.holds (account_id);

CREATE TABLE ledger.hold_outcomes (
  hold_id      text PRIMARY KEY REFERENCES ledger.holds (hold_id),
  outcome      text NOT NULL CHECK (outcome IN ('settled', 'released')),
  recorded_at  timestamptz NOT NULL
);

DO $$
DECLARE
  table_name text;
BEGIN
  FOREACH table_name IN ARRAY ARRAY['holds', 'hold_outcomes'] LOOP
    EXECUTE format('CREATE TRIGGER %1$s_append_only BEFORE UPDATE OR DELETE ON ledger.%1$s
      FOR EACH ROW EXECUTE FUNCTION ledger.reject_change()', table_name);
    EXECUTE format('CREATE TRIGGER %1$s_no_truncate BEFORE TRUNCATE ON ledger.%1$s
      FOR EACH STATEMENT EXECUTE FUNCTION ledger.reject_change()', table_name);
  END LOOP;
END $$;

GRANT SELECT, INSERT ON ledger.holds, ledger.hold_outcomes TO ledger_app;
