import { EntityManager, DataSource } from 'typeorm';
import { OutgoingMessage } from '@rtp/reconciler/application';
import {
  CommittedOutboxMessage,
  ResettableProducer,
  RowOutbox,
  serviceRowOutbox,
  writeOutboxRows,
} from '@rtp/shared/kafka';

export type { OutboxSweep } from '@rtp/shared/kafka';

/** A message committed to the outbox, published right after the commit. */
export type CommittedMessage = CommittedOutboxMessage;

/** The reconciler's outbox: its consumer and run loop write it at once (see serviceRowOutbox). */
export type ReconcilerOutbox = RowOutbox<CommittedMessage>;

const TABLE = 'reconciler.outbox';

/** Writes messages in the caller's transaction; a message id written before is not written again. */
export function writeOutbox(
  manager: EntityManager,
  messages: readonly OutgoingMessage[],
  at: Date,
): Promise<CommittedMessage[]> {
  return writeOutboxRows((sql, parameters) => manager.query(sql, parameters), TABLE, messages, at);
}

export function reconcilerOutbox(
  dataSource: DataSource,
  producer: ResettableProducer,
  onError: (error: unknown) => void,
): ReconcilerOutbox {
  return serviceRowOutbox({
    table: TABLE,
    query: (sql, parameters) => dataSource.query(sql, parameters),
    producer,
    onError,
  });
}
