-- The ledger's own schema. Facts (events, journals, entries, processed commands) are insert-only;
-- account rows are a cache of the entries, written only by the account's partition owner.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ledger_app') THEN
    CREATE ROLE ledger_app NOLOGIN;
  END IF;
END $$;
GRANT ledger_app TO CURRENT_USER;

CREATE TABLE ledger.accounts (
  account_id             text PRIMARY KEY,
  currency               char(3) NOT NULL,
  kind                   text NOT NULL CHECK (kind IN ('customer', 'transit', 'settlement')),
  status                 text NOT NULL CHECK (status IN ('active', 'frozen', 'closed')),
  posted_minor           bigint NOT NULL,
  pending_minor          bigint NOT NULL CHECK (pending_minor >= 0),
  overdraft_limit_minor  bigint CHECK (overdraft_limit_minor >= 0),
  sequence               bigint NOT NULL,
  owner_partition        integer NOT NULL,
  opened_at              timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL
);

CREATE TABLE ledger.events (
  account_id      text NOT NULL,
  sequence        bigint NOT NULL CHECK (sequence > 0),
  event_id        text NOT NULL UNIQUE,
  type            text NOT NULL,
  command_id      text NOT NULL,
  correlation_id  text NOT NULL,
  data            jsonb NOT NULL,
  recorded_at     timestamptz NOT NULL,
  PRIMARY KEY (account_id, sequence)
);

CREATE TABLE ledger.journals (
  journal_id   text PRIMARY KEY,
  command_id   text NOT NULL,
  currency     char(3) NOT NULL,
  recorded_at  timestamptz NOT NULL
);

CREATE TABLE ledger.entries (
  entry_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  journal_id    text NOT NULL REFERENCES ledger.journals (journal_id),
  account_id    text NOT NULL REFERENCES ledger.accounts (account_id),
  currency      char(3) NOT NULL,
  amount_minor  bigint NOT NULL CHECK (amount_minor <> 0),
  recorded_at   timestamptz NOT NULL
);
CREATE INDEX entries_account_idx ON ledger.entries (account_id, entry_id);
CREATE INDEX entries_journal_idx ON ledger.entries (journal_id);

CREATE TABLE ledger.processed_commands (
  command_id       text PRIMARY KEY,
  command_type     text NOT NULL,
  topic_partition  integer NOT NULL,
  kafka_offset     bigint NOT NULL,
  outcome          text NOT NULL,
  processed_at     timestamptz NOT NULL
);

CREATE TABLE ledger.consumer_offsets (
  consumer_group  text NOT NULL,
  topic           text NOT NULL,
  partition       integer NOT NULL,
  next_offset     bigint NOT NULL CHECK (next_offset >= 0),
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (consumer_group, topic, partition)
);

CREATE TABLE ledger.outbox (
  outbox_id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_partition  integer NOT NULL,
  topic             text NOT NULL,
  message_key       text NOT NULL,
  message_id        text NOT NULL UNIQUE,
  message_type      text NOT NULL,
  payload           jsonb NOT NULL,
  created_at        timestamptz NOT NULL,
  published_at      timestamptz
);
CREATE INDEX outbox_unpublished_idx ON ledger.outbox (source_partition, outbox_id)
  WHERE published_at IS NULL;

-- Double entry, checked by the database as well as the code: every statement that inserts entries
-- must leave each journal it touches summing to zero per currency.
CREATE FUNCTION ledger.entries_must_balance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  unbalanced record;
BEGIN
  SELECT journal_id, currency, sum(amount_minor) AS total INTO unbalanced
  FROM inserted_entries GROUP BY journal_id, currency HAVING sum(amount_minor) <> 0 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'JournalMustBalance: journal % sums to % %',
      unbalanced.journal_id, unbalanced.total, unbalanced.currency
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER entries_must_balance AFTER INSERT ON ledger.entries
  REFERENCING NEW TABLE AS inserted_entries FOR EACH STATEMENT
  EXECUTE FUNCTION ledger.entries_must_balance();

-- Append-only: history is corrected by new entries, never rewritten.
CREATE FUNCTION ledger.reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger.% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;

DO $$
DECLARE
  table_name text;
BEGIN
  FOREACH table_name IN ARRAY ARRAY['events', 'journals', 'entries', 'processed_commands'] LOOP
    EXECUTE format('CREATE TRIGGER %1$s_append_only BEFORE UPDATE OR DELETE ON ledger.%1$s
      FOR EACH ROW EXECUTE FUNCTION ledger.reject_change()', table_name);
    EXECUTE format('CREATE TRIGGER %1$s_no_truncate BEFORE TRUNCATE ON ledger.%1$s
      FOR EACH STATEMENT EXECUTE FUNCTION ledger.reject_change()', table_name);
  END LOOP;
END $$;

GRANT USAGE ON SCHEMA ledger TO ledger_app;
GRANT SELECT, INSERT ON ledger.events, ledger.journals, ledger.entries, ledger.processed_commands
  TO ledger_app;
GRANT SELECT, INSERT, UPDATE ON ledger.accounts, ledger.consumer_offsets, ledger.outbox TO ledger_app;
