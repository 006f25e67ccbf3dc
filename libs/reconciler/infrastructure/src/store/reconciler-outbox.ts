import { EntityManager, DataSource } from 'typeorm';
import { OutgoingMessage } from '@rtp/reconciler/application';
import {
  ResettableProducer,
  RowOutbox,
  StoredOutboxRow,
  rowOutbox,
  storedMessage,
} from '@rtp/shared/kafka';

export type { OutboxSweep } from '@rtp/shared/kafka';

/** A message committed to the reconciler's outbox, published right after the commit. */
export interface CommittedMessage {
  outboxId: string;
  message: OutgoingMessage;
}

/**
 * The reconciler's outbox publication, per row as the partner adapter's: the consumer and the
 * run loop write it at once, so no position covers a prefix of it.
 */
export type ReconcilerOutbox = RowOutbox<CommittedMessage>;

/** Writes messages in the caller's transaction; a message id written before is not written again. */
export async function writeOutbox(
  manager: EntityManager,
  messages: readonly OutgoingMessage[],
  at: Date,
): Promise<CommittedMessage[]> {
  if (messages.length === 0) return [];
  const rows = await manager.query(
    `INSERT INTO reconciler.outbox (topic, message_key, message_id, message_type, payload, created_at)
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
  );
  return rows.map((row: StoredOutboxRow) => ({
    outboxId: String(row.outbox_id),
    message: storedMessage(row),
  }));
}

export function reconcilerOutbox(
  dataSource: DataSource,
  producer: ResettableProducer,
  onError: (error: unknown) => void,
): ReconcilerOutbox {
  return rowOutbox<CommittedMessage>({
    table: 'reconciler.outbox',
    query: (sql, parameters) => dataSource.query(sql, parameters),
    producer,
    onError,
    messageOf: (row) => row.message,
    rowOf: (outboxId, message) => ({ outboxId, message }),
    queuedRowsMax: 10_000,
    recordDelayMsMax: 200,
    sweepPageLimit: 500,
  });
}
