import { DataSource } from 'typeorm';
import { ResettableProducer } from '@rtp/shared/kafka';
import { CommittedCommand, GatewayOutbox, gatewayOutbox } from './gateway-outbox';

export type { CommittedCommand } from './gateway-outbox';

/**
 * Publishes accepted payments' commands right after the transaction that stored them commits,
 * through the gateway's outbox publication (one produce call in flight; commands committed
 * meanwhile go in the next, in commit order). A confirmed row is marked published by the next
 * transaction that accepts payments (one more statement in it, no commit of its own), or on its
 * own within 200 ms when none comes. A row that is never confirmed stays unpublished in the outbox
 * for the relay's sweep; one published twice is harmless, the ledger dedupes by command id.
 */
export class CommittedPublisher {
  readonly outbox: GatewayOutbox;

  constructor(
    dataSource: DataSource,
    producer: ResettableProducer,
    onError: (error: unknown) => void,
  ) {
    this.outbox = gatewayOutbox(dataSource, producer, onError);
  }

  /** Resolves once the broker confirmed these rows; rejects when it did not (the sweep retries). */
  publish(rows: readonly CommittedCommand[]): Promise<void> {
    return this.outbox.publish(rows);
  }

  /** Outbox ids confirmed published, for the caller's transaction to mark; returned if it fails. */
  takeMarks(): string[] {
    return [...this.outbox.takeMarks().keys()];
  }

  returnMarks(outboxIds: readonly string[]): void {
    this.outbox.returnMarks(outboxIds.map((outboxId) => [outboxId, null] as const));
  }

  /** Marks what is confirmed now and leaves nothing for a timer. */
  stop(): Promise<void> {
    return this.outbox.stop();
  }
}
