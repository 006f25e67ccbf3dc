import { DataSource } from 'typeorm';
import { OutgoingCommand } from '@rtp/gateway/application';
import { InHand, OutboxPublication, OutboxStore, ResettableProducer } from '@rtp/shared/kafka';

/** A command committed to the outbox, to be published right after the commit. */
export interface CommittedCommand {
  outboxId: string;
  command: OutgoingCommand;
}

/** Which rows a sweep publishes: those left unpublished for at least `ageMsMin`. */
export interface OutboxSweep {
  ageMsMin: number;
}

/**
 * The gateway's outbox publication. Many request transactions, on every replica, write
 * gateway.outbox at once, so no position covers a prefix of it: each row is marked published by
 * its id (the mark carries nothing more), and the sweep skips the rows this process has in hand.
 */
export type GatewayOutbox = OutboxPublication<CommittedCommand, OutboxSweep, string, null>;

/** Rows waiting for the produce call in flight; beyond them, rows are left to the sweep. */
const QUEUED_ROWS_MAX = 20_000;
/** How long confirmed rows may wait for a transaction to mark them before they get their own. */
const MARK_DELAY_MS_MAX = 200;
const SWEEP_PAGE_ROWS_MAX = 500;

interface OutboxRow {
  outbox_id: string;
  topic: string;
  message_key: string;
  message_id: string;
  message_type: string;
  payload: Record<string, unknown>;
}

class GatewayOutboxStore implements OutboxStore<CommittedCommand, OutboxSweep, string, null> {
  constructor(private readonly dataSource: DataSource) {}

  async findUnpublished(
    { ageMsMin }: OutboxSweep,
    limit: number,
    inHand: InHand<CommittedCommand, string>,
  ): Promise<{ rows: CommittedCommand[]; more: boolean }> {
    const rows: OutboxRow[] = await this.dataSource.query(
      `SELECT outbox_id, topic, message_key, message_id, message_type, payload FROM gateway.outbox
       WHERE published_at IS NULL AND created_at <= now() - make_interval(secs => $2)
         AND NOT (outbox_id = ANY($3::bigint[]))
       ORDER BY outbox_id LIMIT $1`,
      [limit, ageMsMin / 1_000, [...inHand.rows.map((row) => row.outboxId), ...inHand.marked]],
    );
    return {
      rows: rows.map((row) => ({
        outboxId: String(row.outbox_id),
        command: {
          topic: row.topic,
          key: row.message_key,
          messageId: row.message_id,
          messageType: row.message_type,
          payload: row.payload,
        },
      })),
      more: rows.length === limit,
    };
  }

  async recordMarks(marks: ReadonlyMap<string, null>): Promise<void> {
    await this.dataSource.query(
      `UPDATE gateway.outbox SET published_at = now()
       WHERE outbox_id = ANY($1::bigint[]) AND published_at IS NULL`,
      [[...marks.keys()]],
    );
  }
}

export function gatewayOutbox(
  dataSource: DataSource,
  producer: ResettableProducer,
  onError: (error: unknown) => void,
): GatewayOutbox {
  return new OutboxPublication({
    store: new GatewayOutboxStore(dataSource),
    producer,
    messageOf: ({ outboxId, command }) => ({
      id: outboxId,
      topic: command.topic,
      key: command.key,
      messageId: command.messageId,
      messageType: command.messageType,
      value: Buffer.from(JSON.stringify(command.payload), 'utf8'),
    }),
    marksOf: (rows) => rows.map((row) => [row.outboxId, null] as const),
    mergeMarks: () => null,
    queuedRowsMax: QUEUED_ROWS_MAX,
    recordDelayMsMax: MARK_DELAY_MS_MAX,
    sweepPageLimit: SWEEP_PAGE_ROWS_MAX,
    onError,
  });
}
