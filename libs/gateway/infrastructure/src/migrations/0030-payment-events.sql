-- payments.events.v1 (issue #13): every status a payment reached that was published, once, with
-- its status sequence (1 for the first, +1 per change). The projection adds a row, and the
-- message to the outbox, in the transaction that changes the status. This is the publication's
-- own record, not a read model: a rebuild of the read models keeps it, so replayed events find
-- their statuses published already and publish nothing again, and later changes go on counting
-- from the sequence the subscribers saw.
CREATE TABLE gateway.payment_events (
  payment_id       text NOT NULL,
  status           text NOT NULL
    CHECK (status IN ('processing', 'pending', 'completed', 'failed', 'rejected', 'returned')),
  status_sequence  integer NOT NULL CHECK (status_sequence > 0),
  message_id       text NOT NULL UNIQUE,
  recorded_at      timestamptz NOT NULL,
  PRIMARY KEY (payment_id, status),
  UNIQUE (payment_id, status_sequence)
);
GRANT SELECT, INSERT ON gateway.payment_events TO gateway_app;
