-- The record an exception's bank lines concern (null for missing at the bank): a record seen on a
-- statement, matched or not, is not missing at the bank on a later day.
ALTER TABLE reconciler.exceptions ADD COLUMN record_id text;
CREATE INDEX exceptions_record_idx ON reconciler.exceptions (record_id) WHERE record_id IS NOT NULL;
