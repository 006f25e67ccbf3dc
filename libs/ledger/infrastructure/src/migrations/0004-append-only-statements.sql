-- Append-only, also for statements that match no row: an UPDATE or DELETE on a fact table is refused
-- as a statement, not only per row, so a mistaken maintenance query fails loudly even when empty.
DO $$
DECLARE
  table_name text;
BEGIN
  FOREACH table_name IN ARRAY ARRAY['events', 'journals', 'entries', 'processed_commands', 'holds',
      'hold_outcomes'] LOOP
    EXECUTE format('CREATE TRIGGER %1$s_append_only_statement BEFORE UPDATE OR DELETE ON ledger.%1$s
      FOR EACH STATEMENT EXECUTE FUNCTION ledger.reject_change()', table_name);
  END LOOP;
END $$;
