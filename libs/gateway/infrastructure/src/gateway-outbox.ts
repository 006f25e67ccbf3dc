import { DataSource } from 'typeorm';
import { OutgoingCommand } from '@rtp/gateway/application';
import { ResettableProducer, RowOutbox, rowOutbox } from '@rtp/shared/kafka';

export type { OutboxSweep } from '@rtp/shared/kafka';

/** A command committed to the outbox, to be published right after the commit. */
export interface CommittedCommand {
  outboxId: string;
  command: OutgoingCommand;
}

/**
 * The gateway's outbox publication. Many request transactions, on every replica, write
 * gateway.outbox at once, so no position covers a prefix of it: each row is marked published by
 * its id (the mark carries nothing more), and the sweep skips the rows this process has in hand.
 */
export type GatewayOutbox = RowOutbox<CommittedCommand>;

export function gatewayOutbox(
  dataSource: DataSource,
  producer: ResettableProducer,
  onError: (error: unknown) => void,
): GatewayOutbox {
  return rowOutbox<CommittedCommand>({
    table: 'gateway.outbox',
    query: (sql, parameters) => dataSource.query(sql, parameters),
    producer,
    onError,
    messageOf: (row) => row.command,
    rowOf: (outboxId, command) => ({ outboxId, command }),
    queuedRowsMax: 20_000,
    recordDelayMsMax: 200,
    sweepPageLimit: 500,
  });
}
