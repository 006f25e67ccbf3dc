import { EntityManager, DataSource } from 'typeorm';
import { OutgoingMessage } from '@rtp/partner-adapter/application';
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

/** The adapter's outbox: its sender, checker, webhooks and consumer write it at once (see serviceRowOutbox). */
export type AdapterOutbox = RowOutbox<CommittedMessage>;

const TABLE = 'partner_adapter.outbox';

/** Writes messages in the caller's transaction; a message id written before is not written again. */
export function writeOutbox(
  manager: EntityManager,
  messages: readonly OutgoingMessage[],
  at: Date,
): Promise<CommittedMessage[]> {
  return writeOutboxRows((sql, parameters) => manager.query(sql, parameters), TABLE, messages, at);
}

export function adapterOutbox(
  dataSource: DataSource,
  producer: ResettableProducer,
  onError: (error: unknown) => void,
): AdapterOutbox {
  return serviceRowOutbox({
    table: TABLE,
    query: (sql, parameters) => dataSource.query(sql, parameters),
    producer,
    onError,
  });
}
