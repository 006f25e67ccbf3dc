-- The gateway's own schema: API clients and hashed keys, idempotency records, the outbox of
-- commands it sends, and read models projected from the ledger's events.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gateway_app') THEN
    CREATE ROLE gateway_app NOLOGIN;
  END IF;
END $$;
GRANT gateway_app TO CURRENT_USER;

CREATE TABLE gateway.clients (
  client_id   text PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL
);

CREATE TABLE gateway.api_keys (
  key_hash    text PRIMARY KEY,
  client_id   text NOT NULL REFERENCES gateway.clients (client_id),
  key_prefix  text NOT NULL,
  scopes      text[] NOT NULL,
  created_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);

CREATE TABLE gateway.idempotency_keys (
  client_id        text NOT NULL,
  idempotency_key  text NOT NULL,
  operation        text NOT NULL,
  fingerprint      text NOT NULL,
  resource_id      text NOT NULL,
  created_at       timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  PRIMARY KEY (client_id, idempotency_key)
);
CREATE INDEX idempotency_keys_expiry_idx ON gateway.idempotency_keys (expires_at);

-- Read model: accounts. The row appears when the client asks (status 'opening') and the projection
-- of AccountOpened fills in the rest; a rebuild recreates it from the events alone.
CREATE TABLE gateway.accounts (
  account_id     text PRIMARY KEY,
  client_id      text NOT NULL,
  currency       char(3) NOT NULL,
  name           text,
  metadata       jsonb,
  status         text NOT NULL,
  failure_code   text,
  posted_minor   bigint NOT NULL DEFAULT 0,
  pending_minor  bigint NOT NULL DEFAULT 0,
  last_sequence  bigint NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX accounts_client_idx ON gateway.accounts (client_id, created_at);

-- Read model: payments (transfers and deposits).
CREATE TABLE gateway.payments (
  payment_id              text PRIMARY KEY,
  kind                    text NOT NULL CHECK (kind IN ('transfer', 'deposit')),
  client_id               text NOT NULL,
  source_account_id       text,
  destination_account_id  text NOT NULL,
  amount_minor            bigint NOT NULL CHECK (amount_minor > 0),
  currency                char(3) NOT NULL,
  status                  text NOT NULL CHECK (status IN ('processing', 'completed', 'rejected')),
  failure_code            text,
  reference               text,
  metadata                jsonb,
  created_at              timestamptz NOT NULL,
  updated_at              timestamptz NOT NULL
);
CREATE INDEX payments_client_idx ON gateway.payments (client_id, created_at DESC, payment_id DESC);

CREATE TABLE gateway.outbox (
  outbox_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic         text NOT NULL,
  message_key   text NOT NULL,
  message_id    text NOT NULL UNIQUE,
  message_type  text NOT NULL,
  payload       jsonb NOT NULL,
  created_at    timestamptz NOT NULL,
  published_at  timestamptz
);
CREATE INDEX outbox_unpublished_idx ON gateway.outbox (outbox_id) WHERE published_at IS NULL;

CREATE TABLE gateway.consumer_offsets (
  consumer_group  text NOT NULL,
  topic           text NOT NULL,
  partition       integer NOT NULL,
  next_offset     bigint NOT NULL CHECK (next_offset >= 0),
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (consumer_group, topic, partition)
);

GRANT USAGE ON SCHEMA gateway TO gateway_app;
GRANT SELECT, INSERT ON gateway.clients, gateway.api_keys TO gateway_app;
GRANT SELECT, INSERT, DELETE ON gateway.idempotency_keys TO gateway_app;
GRANT SELECT, INSERT, UPDATE ON gateway.accounts, gateway.payments, gateway.outbox,
  gateway.consumer_offsets TO gateway_app;
