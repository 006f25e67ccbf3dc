-- Off the hot path: checks that cost every batch an index lookup or an index write while a cheaper
-- guard or `npm run verify` already covers the invariant (docs/decisions.md lists what guards what).
-- * entries -> accounts foreign key: every entry is written by the account's only writer in the same
--   transaction as its balance row; verify reports any entry whose account does not exist.
-- * the expression index on events' paymentId: nothing on the write or read path uses it.
DO $$
DECLARE
  constraint_name text;
BEGIN
  FOR constraint_name IN
    SELECT conname FROM pg_constraint
    WHERE conrelid = 'ledger.entries'::regclass AND contype = 'f' AND confrelid = 'ledger.accounts'::regclass
  LOOP
    EXECUTE format('ALTER TABLE ledger.entries DROP CONSTRAINT %I', constraint_name);
  END LOOP;
END $$;
DROP INDEX IF EXISTS ledger.events_payment_idx;
