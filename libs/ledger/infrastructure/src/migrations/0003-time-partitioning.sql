-- Events, journals and entries are partitioned by month of recorded_at, so the tables stay manageable
-- at billions of rows (old months can be detached and archived whole). A default partition catches
-- anything outside the created months; ledger.ensure_partitions creates months ahead of time and
-- the ledger calls it at start and daily.
--
-- Postgres cannot enforce a unique key on a partitioned table unless it includes the partition key,
-- so the keys below include recorded_at. Uniqueness of event ids and account sequences still holds:
-- event ids derive from command ids, which ledger.processed_commands keeps unique, and sequences come
-- from the single writer whose offset compare-and-set fences any other; `npm run verify` checks both.

ALTER TABLE ledger.events RENAME TO events_unpartitioned;
ALTER TABLE ledger.journals RENAME TO journals_unpartitioned;
ALTER TABLE ledger.entries RENAME TO entries_unpartitioned;

CREATE TABLE ledger.events (
  account_id      text NOT NULL,
  sequence        bigint CHECK (sequence > 0),
  event_id        text NOT NULL,
  type            text NOT NULL,
  command_id      text NOT NULL,
  correlation_id  text NOT NULL,
  data            jsonb NOT NULL,
  recorded_at     timestamptz NOT NULL,
  hash            text,
  PRIMARY KEY (event_id, recorded_at)
) PARTITION BY RANGE (recorded_at);
CREATE INDEX events_stream_idx ON ledger.events (account_id, sequence);
CREATE INDEX events_payment_idx ON ledger.events ((data->>'paymentId')) WHERE data ? 'paymentId';

CREATE TABLE ledger.journals (
  journal_id   text NOT NULL,
  command_id   text NOT NULL,
  currency     char(3) NOT NULL,
  recorded_at  timestamptz NOT NULL,
  PRIMARY KEY (journal_id, recorded_at)
) PARTITION BY RANGE (recorded_at);

CREATE TABLE ledger.entries (
  entry_id      bigint GENERATED ALWAYS AS IDENTITY,
  journal_id    text NOT NULL,
  account_id    text NOT NULL REFERENCES ledger.accounts (account_id),
  currency      char(3) NOT NULL,
  amount_minor  bigint NOT NULL CHECK (amount_minor <> 0),
  recorded_at   timestamptz NOT NULL,
  PRIMARY KEY (entry_id, recorded_at)
) PARTITION BY RANGE (recorded_at);
CREATE INDEX entries_account_time_idx ON ledger.entries (account_id, recorded_at);
CREATE INDEX entries_journal_idx2 ON ledger.entries (journal_id);

CREATE TABLE ledger.events_default PARTITION OF ledger.events DEFAULT;
CREATE TABLE ledger.journals_default PARTITION OF ledger.journals DEFAULT;
CREATE TABLE ledger.entries_default PARTITION OF ledger.entries DEFAULT;

-- Creates monthly partitions from the current month to `months_ahead` months ahead; idempotent.
-- Partitions get the append-only TRUNCATE guard too (row triggers are inherited from the parent).
CREATE FUNCTION ledger.ensure_partitions(months_ahead integer) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = ledger, pg_temp AS $$
DECLARE
  month_start date := date_trunc('month', now())::date;
  table_name text;
  partition_name text;
  created integer := 0;
BEGIN
  FOR offset_month IN 0..months_ahead LOOP
    FOREACH table_name IN ARRAY ARRAY['events', 'journals', 'entries'] LOOP
      partition_name := format('%s_y%sm%s', table_name, to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
      IF to_regclass(format('ledger.%I', partition_name)) IS NULL THEN
        EXECUTE format('CREATE TABLE ledger.%I PARTITION OF ledger.%I FOR VALUES FROM (%L) TO (%L)',
          partition_name, table_name, month_start, (month_start + interval '1 month')::date);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON ledger.%I
          FOR EACH STATEMENT EXECUTE FUNCTION ledger.reject_change()', partition_name || '_no_truncate', partition_name);
        created := created + 1;
      END IF;
    END LOOP;
    month_start := (month_start + interval '1 month')::date;
  END LOOP;
  RETURN created;
END $$;

-- Months that already hold data get their partitions before the data moves in.
DO $$
DECLARE
  oldest timestamptz := LEAST(
    (SELECT min(recorded_at) FROM ledger.events_unpartitioned),
    (SELECT min(recorded_at) FROM ledger.entries_unpartitioned), now());
  month_start date := date_trunc('month', oldest)::date;
  table_name text;
  partition_name text;
BEGIN
  WHILE month_start < date_trunc('month', now())::date LOOP
    FOREACH table_name IN ARRAY ARRAY['events', 'journals', 'entries'] LOOP
      partition_name := format('%s_y%sm%s', table_name, to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
      EXECUTE format('CREATE TABLE ledger.%I PARTITION OF ledger.%I FOR VALUES FROM (%L) TO (%L)',
        partition_name, table_name, month_start, (month_start + interval '1 month')::date);
      EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON ledger.%I
        FOR EACH STATEMENT EXECUTE FUNCTION ledger.reject_change()', partition_name || '_no_truncate', partition_name);
    END LOOP;
    month_start := (month_start + interval '1 month')::date;
  END LOOP;
  FOREACH table_name IN ARRAY ARRAY['events_default', 'journals_default', 'entries_default'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON ledger.%I
      FOR EACH STATEMENT EXECUTE FUNCTION ledger.reject_change()', table_name || '_no_truncate', table_name);
  END LOOP;
END $$;
SELECT ledger.ensure_partitions(3);

INSERT INTO ledger.events SELECT account_id, sequence, event_id, type, command_id, correlation_id, data,
  recorded_at, hash FROM ledger.events_unpartitioned;
INSERT INTO ledger.journals SELECT journal_id, command_id, currency, recorded_at FROM ledger.journals_unpartitioned;
INSERT INTO ledger.entries (journal_id, account_id, currency, amount_minor, recorded_at)
  SELECT journal_id, account_id, currency, amount_minor, recorded_at
  FROM ledger.entries_unpartitioned ORDER BY entry_id;

-- The old tables refuse DELETE and TRUNCATE by trigger: lift the guard only to drop them.
ALTER TABLE ledger.events_unpartitioned DISABLE TRIGGER USER;
ALTER TABLE ledger.journals_unpartitioned DISABLE TRIGGER USER;
ALTER TABLE ledger.entries_unpartitioned DISABLE TRIGGER USER;
DROP TABLE ledger.entries_unpartitioned;
DROP TABLE ledger.journals_unpartitioned;
DROP TABLE ledger.events_unpartitioned;
ALTER INDEX ledger.entries_journal_idx2 RENAME TO entries_journal_idx;

CREATE TRIGGER entries_must_balance AFTER INSERT ON ledger.entries
  REFERENCING NEW TABLE AS inserted_entries FOR EACH STATEMENT
  EXECUTE FUNCTION ledger.entries_must_balance();

DO $$
DECLARE
  table_name text;
BEGIN
  FOREACH table_name IN ARRAY ARRAY['events', 'journals', 'entries'] LOOP
    EXECUTE format('CREATE TRIGGER %1$s_append_only BEFORE UPDATE OR DELETE ON ledger.%1$s
      FOR EACH ROW EXECUTE FUNCTION ledger.reject_change()', table_name);
    EXECUTE format('CREATE TRIGGER %1$s_no_truncate BEFORE TRUNCATE ON ledger.%1$s
      FOR EACH STATEMENT EXECUTE FUNCTION ledger.reject_change()', table_name);
  END LOOP;
END $$;

GRANT SELECT, INSERT ON ledger.events, ledger.journals, ledger.entries TO ledger_app;
REVOKE ALL ON FUNCTION ledger.ensure_partitions(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.ensure_partitions(integer) TO ledger_app;
