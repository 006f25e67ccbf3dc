-- The identity of the last message a stored position was taken after (its CloudEvents id, or a hash
-- of its bytes). On assignment the consumer compares it with the message at next_offset - 1, so a
-- log replaced under a stored position (a topic recreated, broker data lost) stops the partition
-- instead of silently skipping the new log's first messages.
ALTER TABLE ledger.consumer_offsets ADD COLUMN last_message_identity text;
