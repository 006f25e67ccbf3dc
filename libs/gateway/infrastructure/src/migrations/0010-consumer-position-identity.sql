-- See the ledger's migration 0007: the identity of the message a stored position was taken after.
ALTER TABLE gateway.consumer_offsets ADD COLUMN last_message_identity text;
