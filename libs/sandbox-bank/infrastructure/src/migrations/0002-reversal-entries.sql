-- A rejected transfer is now on the statement: its debit and the reversal crediting it back.
ALTER TABLE sandbox_bank.entries DROP CONSTRAINT entries_kind_check;
ALTER TABLE sandbox_bank.entries ADD CONSTRAINT entries_kind_check
  CHECK (kind IN ('opening', 'transfer_booked', 'transfer_reversed', 'transfer_returned',
                  'credit_booked'));
