import { EntityManager, DataSource } from 'typeorm';
import { OutgoingMessage } from '@rtp/partner-adapter/application';
import { InHand, OutboxPublication, OutboxStore, ResettableProducer } from '@rtp/shared/kafka';

/** A message committed to the adapter's outbox, published right after the commit. */
export interface CommittedMessage {
  outboxId: string;
  message: OutgoingMessage;
}

export interface OutboxSweep {
  ageMsMin: number;
}

/**
 * The adapter's outbox publication, per row as the gateway's: several loops (sender, checker,
 * webhooks, the ledger events consumer) write it at once, so no position covers a prefix of it.
 */
export type AdapterOutbox = OutboxPublication<CommittedMessage, OutboxSweep, string, null>;

interface OutboxRow {
  outbox_id: string;
  topic: string;
  message_key: string;
  message_id: string;
  message_type: string;
  payload: Record<string, unknown>;
}

const toCommitted = (row: OutboxRow): CommittedMessage => ({
  outboxId: String(row.outbox_id),
  message: {
    topic: row.topic,
    key: row.message_key,
    messageId: row.message_id,
    messageType: row.message_type,
    payload: row.payload,
  },
});

/** Writes messages in the caller's transaction; a message id written before is not written again. */
export async function writeOutbox(
  manager: EntityManager,
  messages: readonly OutgoingMessage[],
  at: Date,
): Promise<CommittedMessage[]> {
  if (messages.length === 0) return [];
  const rows: OutboxRow[] = await manager.query(
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
  return rows.map(toCommitted);
}

class AdapterOutboxStore implements OutboxStore<CommittedMessage, OutboxSweep, string, null> {
  constructor(private readonly dataSource: DataSource) {}

  async findUnpublished(
    { ageMsMin }: OutboxSweep,
    limit: number,
    inHand: InHand<CommittedMessage, string>,
  ): Promise<{ rows: CommittedMessage[]; more: boolean }> {
    const rows: OutboxRow[] = await this.dataSource.query(
      `SELECT outbox_id, topic, message_key, message_id, message_type, payload
       FROM partner_adapter.outbox
       WHERE published_at IS NULL AND created_at <= now() - make_interval(secs => $2)
         AND NOT (outbox_id = ANY($3::bigint[]))
       ORDER BY outbox_id LIMIT $1`,
      [limit, ageMsMin / 1_000, [...inHand.rows.map((row) => row.outboxId), ...inHand.marked]],
    );
    return { rows: rows.map(toCommitted), more: rows.length === limit };
  }

  async recordMarks(marks: ReadonlyMap<string, null>): Promise<void> {
    await this.dataSource.query(
      `UPDATE partner_adapter.outbox SET published_at = now()
       WHERE outbox_id = ANY($1::bigint[]) AND published_at IS NULL`,
      [[...marks.keys()]],
    );
  }
}

export function adapterOutbox(
  dataSource: DataSource,
  producer: ResettableProducer,
  onError: (error: unknown) => void,
): AdapterOutbox {
  return new OutboxPublication({
    store: new AdapterOutboxStore(dataSource),
    producer,
    messageOf: ({ outboxId, message }) => ({
      id: outboxId,
      topic: message.topic,
      key: message.key,
      messageId: message.messageId,
      messageType: message.messageType,
      value: Buffer.from(JSON.stringify(message.payload), 'utf8'),
    }),
    marksOf: (rows) => rows.map((row) => [row.outboxId, null] as const),
    mergeMarks: () => null,
    queuedRowsMax: 10_000,
    recordDelayMsMax: 200,
    sweepPageLimit: 500,
    onError,
  });
}
