import { DataSource, EntityManager } from 'typeorm';
import { OutgoingMessage } from '@rtp/reconciler/application';
import { CommittedMessage, ReconcilerOutbox, writeOutbox } from './reconciler-outbox';

export type WriteMessages = (messages: OutgoingMessage[]) => Promise<CommittedMessage[]>;

/**
 * Runs `work` in a transaction whose outbox rows are published once it committed (a crash in
 * between leaves them to the sweep): the one way the reconciler sends anything.
 */
export class ReconcilerStore {
  constructor(
    readonly dataSource: DataSource,
    private readonly outbox: ReconcilerOutbox,
    private readonly onPublishError: (error: unknown) => void,
  ) {}

  async commit<T>(work: (manager: EntityManager, write: WriteMessages) => Promise<T>): Promise<T> {
    const committed: CommittedMessage[] = [];
    const at = new Date();
    const result = await this.dataSource.transaction(async (manager) =>
      work(manager, async (messages) => {
        const written = await writeOutbox(manager, messages, at);
        committed.push(...written);
        return written;
      }),
    );
    if (committed.length > 0) this.outbox.publish(committed).catch(this.onPublishError);
    return result;
  }
}
