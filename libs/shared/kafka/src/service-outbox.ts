import { ResettableProducer } from './resettable-producer';
import {
  RowOutbox,
  StoredOutboxMessage,
  StoredOutboxRow,
  rowOutbox,
  storedMessage,
} from './row-outbox';

/** A message committed to a service's per-row outbox, published right after the commit. */
export interface CommittedOutboxMessage {
  outboxId: string;
  message: StoredOutboxMessage;
}

type Query = (sql: string, parameters: unknown[]) => Promise<unknown>;

/**
 * Writes messages into `table` (`schema.outbox`) in the caller's transaction (`query` is the
 * transaction's); a message id written before is not written again, and is not returned.
 */
export async function writeOutboxRows(
  query: Query,
  table: string,
  messages: readonly StoredOutboxMessage[],
  at: Date,
): Promise<CommittedOutboxMessage[]> {
  if (messages.length === 0) return [];
  const rows = (await query(
    `INSERT INTO ${table} (topic, message_key, message_id, message_type, payload, created_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[])
     ON CONFLICT (message_id) DO NOTHING
     RETURNING outbox_id, topic, message_key, message_id, message_type, payload`,
    [
      messages.map((m) => m.topic),
      messages.map((m) => m.key),
      messages.map((m) => m.messageId),
      messages.map((m) => m.messageType),
      messages.map((m) => JSON.stringify(m.payload)),
      messages.map(() => at),
    ],
  )) as StoredOutboxRow[];
  return rows.map((row) => ({ outboxId: String(row.outbox_id), message: storedMessage(row) }));
}

/**
 * The publication of a service whose outbox several loops write at once (the partner adapter's
 * sender, checker, webhooks and consumer; the reconciler's consumer and run loop): per row, as
 * the gateway's, since no position covers a prefix of it.
 */
export function serviceRowOutbox(options: {
  table: string;
  query: Query;
  producer: ResettableProducer;
  onError: (error: unknown) => void;
}): RowOutbox<CommittedOutboxMessage> {
  return rowOutbox<CommittedOutboxMessage>({
    ...options,
    messageOf: (row) => row.message,
    rowOf: (outboxId, message) => ({ outboxId, message }),
    queuedRowsMax: 10_000,
    recordDelayMsMax: 200,
    sweepPageLimit: 500,
  });
}
