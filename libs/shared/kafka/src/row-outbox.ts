import { exportOutboxBacklog, rowOutboxBacklog } from './outbox-metrics';
import { InHand, OutboxPublication, OutboxStore } from './outbox-publication';
import { ResettableProducer } from './resettable-producer';

/** A message as an outbox table holds it (topic, key, ids, type and the JSON payload). */
export interface StoredOutboxMessage {
  topic: string;
  key: string;
  messageId: string;
  messageType: string;
  payload: Record<string, unknown>;
}

/** Which rows a sweep publishes: those left unpublished for at least `ageMsMin`. */
export interface OutboxSweep {
  ageMsMin: number;
}

/** An outbox marked published row by row: the mark is the row's id and carries nothing more. */
export type RowOutbox<Row> = OutboxPublication<Row, OutboxSweep, string, null>;

export interface RowOutboxOptions<Row> {
  /**
   * The table (`schema.outbox`): outbox_id, topic, message_key, message_id, message_type, payload,
   * created_at, published_at.
   */
  table: string;
  query: (sql: string, parameters: unknown[]) => Promise<unknown>;
  producer: ResettableProducer;
  onError: (error: unknown) => void;
  /** The row's message, and a row from a stored id and message. */
  messageOf: (row: Row) => StoredOutboxMessage;
  rowOf: (outboxId: string, message: StoredOutboxMessage) => Row;
  /** Rows waiting for the produce call in flight; beyond them, rows are left to the sweep. */
  queuedRowsMax: number;
  /** How long confirmed rows may wait for a transaction to mark them before they get their own. */
  recordDelayMsMax: number;
  sweepPageLimit: number;
}

export interface StoredOutboxRow {
  outbox_id: string;
  topic: string;
  message_key: string;
  message_id: string;
  message_type: string;
  payload: Record<string, unknown>;
}

/** A stored outbox row as the message it holds. */
export const storedMessage = (row: StoredOutboxRow): StoredOutboxMessage => ({
  topic: row.topic,
  key: row.message_key,
  messageId: row.message_id,
  messageType: row.message_type,
  payload: row.payload,
});

/**
 * The outbox publication of a table that many transactions write at once (every request, every
 * loop, on every replica), so that no position covers a prefix of it: each row is marked published
 * by its id, and the sweep skips the rows this process has in hand. The gateway's and the partner
 * adapter's outboxes are this.
 */
export function rowOutbox<Row extends { outboxId: string }>(
  options: RowOutboxOptions<Row>,
): RowOutbox<Row> {
  const { table, query, messageOf, rowOf } = options;
  const store: OutboxStore<Row, OutboxSweep, string, null> = {
    async findUnpublished(
      { ageMsMin }: OutboxSweep,
      limit: number,
      inHand: InHand<Row, string>,
    ): Promise<{ rows: Row[]; more: boolean }> {
      const rows = (await query(
        `SELECT outbox_id, topic, message_key, message_id, message_type, payload FROM ${table}
         WHERE published_at IS NULL AND created_at <= now() - make_interval(secs => $2)
           AND NOT (outbox_id = ANY($3::bigint[]))
         ORDER BY outbox_id LIMIT $1`,
        [limit, ageMsMin / 1_000, [...inHand.rows.map((row) => row.outboxId), ...inHand.marked]],
      )) as StoredOutboxRow[];
      return {
        rows: rows.map((row) => rowOf(String(row.outbox_id), storedMessage(row))),
        more: rows.length === limit,
      };
    },
    async recordMarks(marks: ReadonlyMap<string, null>): Promise<void> {
      await query(
        `UPDATE ${table} SET published_at = now()
         WHERE outbox_id = ANY($1::bigint[]) AND published_at IS NULL`,
        [[...marks.keys()]],
      );
    },
  };
  exportOutboxBacklog(table, rowOutboxBacklog(table, query));
  return new OutboxPublication({
    store,
    producer: options.producer,
    messageOf: (row) => {
      const message = messageOf(row);
      return {
        id: row.outboxId,
        topic: message.topic,
        key: message.key,
        messageId: message.messageId,
        messageType: message.messageType,
        value: Buffer.from(JSON.stringify(message.payload), 'utf8'),
        traceparent: traceparentOf(message.payload),
      };
    },
    marksOf: (rows) => rows.map((row) => [row.outboxId, null] as const),
    mergeMarks: () => null,
    queuedRowsMax: options.queuedRowsMax,
    recordDelayMsMax: options.recordDelayMsMax,
    sweepPageLimit: options.sweepPageLimit,
    onError: options.onError,
  });
}

/** The trace context an envelope carries (CloudEvents' distributed tracing extension), if any. */
function traceparentOf(payload: Record<string, unknown>): string | null {
  return typeof payload.traceparent === 'string' ? payload.traceparent : null;
}
