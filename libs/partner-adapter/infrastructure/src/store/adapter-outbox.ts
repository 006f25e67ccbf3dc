import { EntityManager, DataSource } from 'typeorm';
import { OutgoingMessage } from '@rtp/partner-adapter/application';
import {
  ResettableProducer,
  RowOutbox,
  StoredOutboxRow,
  rowOutbox,
  storedMessage,
} from '@rtp/shared/kafka';

export type { OutboxSweep } from '@rtp/shared/kafka';

/** A message committed to the adapter's outbox, published right after the commit. */
export interface CommittedMessage {
  outboxId: string;
  message: OutgoingMessage;
}

/**
 * The adapter's outbox publication, per row as the gateway's: several loops (sender, checker,
 * webhooks, the ledger events consumer) write it at once, so no position covers a prefix of it.
 */
export type AdapterOutbox = RowOutbox<CommittedMessage>;

/** Writes messages in the caller's transaction; a message id written before is not written again. */
export async function writeOutbox(
  manager: EntityManager,
  messages: readonly OutgoingMessage[],
  at: Date,
): Promise<CommittedMessage[]> {
  if (messages.length === 0) return [];
  const rows = await manager.query(
    `INSERT INTO partner_adapter.outbox (topic, message_key, message_id, message_type, payload, created_at)
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

export function adapterOutbox(
  dataSource: DataSource,
  producer: ResettableProducer,
  onError: (error: unknown) => void,
): AdapterOutbox {
  return rowOutbox<CommittedMessage>({
    table: 'partner_adapter.outbox',
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
