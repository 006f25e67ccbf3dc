-- Webhooks for API clients (issue 13): the endpoints a client registered, their signing secrets
-- (several while a rotation overlaps), one delivery per (endpoint, payments.events.v1 message),
-- written with the consumer position of group gateway-webhooks, and every attempt to send one.
CREATE TABLE gateway.webhook_endpoints (
  endpoint_id      text PRIMARY KEY,
  client_id        text NOT NULL REFERENCES gateway.clients (client_id),
  url              text NOT NULL,
  event_types      text[] NOT NULL CHECK (cardinality(event_types) > 0),
  status           text NOT NULL CHECK (status IN ('enabled', 'disabled', 'deleted')),
  disabled_reason  text,
  -- The first failure since the last success: the endpoint is disabled once it is old enough.
  failing_since    timestamptz,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX webhook_endpoints_client_idx ON gateway.webhook_endpoints (client_id, created_at);

-- The secrets a delivery is signed with: every one not expired (a rotation leaves the previous
-- one an expiry, so both signatures are sent during the overlap).
CREATE TABLE gateway.webhook_secrets (
  endpoint_id  text NOT NULL REFERENCES gateway.webhook_endpoints (endpoint_id),
  secret       text NOT NULL,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz,
  PRIMARY KEY (endpoint_id, created_at)
);

CREATE TABLE gateway.webhook_deliveries (
  -- Also the webhook-id header: the same on every attempt of this message to this endpoint.
  delivery_id      text PRIMARY KEY,
  endpoint_id      text NOT NULL REFERENCES gateway.webhook_endpoints (endpoint_id),
  event_id         text NOT NULL,
  event_type       text NOT NULL,
  payment_id       text NOT NULL,
  status_sequence  integer NOT NULL CHECK (status_sequence > 0),
  payload          text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  timestamptz NOT NULL,
  -- An attempt in flight holds the delivery until then (another replica's sender skips it).
  lease_until      timestamptz,
  -- The retry budget counts from here: the first delivery, or the last manual retry.
  budget_from      timestamptz NOT NULL,
  last_status_code integer,
  last_error       text,
  created_at       timestamptz NOT NULL,
  finished_at      timestamptz,
  UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON gateway.webhook_deliveries (next_attempt_at)
  WHERE status = 'pending';
CREATE INDEX webhook_deliveries_payment_idx
  ON gateway.webhook_deliveries (endpoint_id, payment_id, status_sequence) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_listing_idx
  ON gateway.webhook_deliveries (endpoint_id, created_at DESC, delivery_id);

CREATE TABLE gateway.webhook_attempts (
  delivery_id  text NOT NULL REFERENCES gateway.webhook_deliveries (delivery_id),
  attempt      integer NOT NULL CHECK (attempt > 0),
  started_at   timestamptz NOT NULL,
  duration_ms  integer NOT NULL,
  status_code  integer,
  error        text,
  PRIMARY KEY (delivery_id, attempt)
);

GRANT SELECT, INSERT, UPDATE ON gateway.webhook_endpoints, gateway.webhook_secrets,
  gateway.webhook_deliveries TO gateway_app;
GRANT SELECT, INSERT ON gateway.webhook_attempts TO gateway_app;
