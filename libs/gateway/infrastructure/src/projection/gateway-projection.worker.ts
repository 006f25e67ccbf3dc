import { DataSource, EntityManager } from 'typeorm';
import { ConsumerPositions, rowsQueryOf } from '@rtp/shared/database';
import { CONSUMER_GROUPS, decodeEnvelope, parseLedgerEvent } from '@rtp/contracts';
import { PartitionBatch, PartitionWorker, StoredPosition } from '@rtp/shared/kafka';
import { writeActionOutcomes } from './account-action.projector';
import {
  writeAccountChanges, writeAccountOpenRejections, writeAccountOpenings,
} from './account-changes.statements';
import { writeAccountEntries } from './account-entries.projector';
import { ProjectedEvent, projectLedgerEvents } from './ledger-event.projector';
import { writePaymentsAndWake } from './payment-changes.statements';

export const OUTCOME_CHANNEL = 'gateway_outcomes';

/**
 * Projects ledger events into the gateway's read models, exactly once: the projection and the
 * consumer position are written in one transaction with a compare-and-set on the position.
 *
 * Transactions are READ COMMITTED, the server's default, which the data source does not change:
 * `transaction(fn)` sends only START TRANSACTION, where naming the level costs a second statement
 * (SET TRANSACTION ISOLATION LEVEL) per transaction. READ COMMITTED is what the writes rely on: a
 * conflicting upsert or update works on the latest committed row, and the position's
 * compare-and-set sees a concurrent owner's commit.
 */
export class GatewayProjectionWorker implements PartitionWorker {
  private readonly positions: ConsumerPositions;

  constructor(
    private readonly dataSource: DataSource,
    private readonly onUndecodable: (topic: string, partition: number, offset: string, reason: string) => void,
    consumerGroup: string = CONSUMER_GROUPS.gatewayProjections,
  ) {
    this.positions = new ConsumerPositions('gateway', consumerGroup);
  }

  acquire(topic: string, partition: number): Promise<StoredPosition> {
    return this.positions.acquire((sql, parameters) => this.dataSource.query(sql, parameters), topic, partition);
  }

  /**
   * An event that fails its batch permanently is passed over (the runner logs and counts it) so the
   * other accounts' read models move on; the ledger's event store still holds it for a rebuild.
   */
  async isolate(batch: PartitionBatch): Promise<void> {
    await this.dataSource.transaction((manager) => this.advance(manager, [batch]));
  }

  async process(batch: PartitionBatch): Promise<void> {
    await this.processMany([batch]);
  }

  /**
   * One transaction for several partitions' batches (the runner groups what arrives together), each
   * with its own position compare-and-set; fenced partitions are named so the runner retries the rest.
   * All their events are folded into one change per row first, and each read model is written by
   * one statement, whatever the number of events: every statement is a round trip.
   */
  async processMany(batches: PartitionBatch[]): Promise<void> {
    const at = new Date();
    await this.dataSource.transaction(async (manager) => {
      await this.advance(manager, batches);
      const changes = projectLedgerEvents(batches.flatMap((batch) => this.decode(batch)));
      await writeAccountOpenings(manager, changes.openings, at);
      await writeAccountOpenRejections(manager, changes.openRejections, at);
      // Before the accounts' changes: an outcome adds its own to the row as it was.
      await writeActionOutcomes(manager, changes.actionOutcomes);
      await writeAccountChanges(manager, changes.accounts, at);
      await writeAccountEntries(manager, changes.entries);
      await writePaymentsAndWake(manager, changes.payments, changes.wokenIds, OUTCOME_CHANNEL, at);
    });
  }

  private decode(batch: PartitionBatch): ProjectedEvent[] {
    return batch.messages.flatMap((message) => {
      const decoded = decodeEnvelope(message.value);
      const event = decoded.ok ? parseLedgerEvent(decoded.envelope.type, decoded.envelope.data) : null;
      if (!event || !decoded.ok) {
        // Events are written by the ledger from validated data; an unknown one is a newer type.
        this.onUndecodable(batch.topic, batch.partition, message.offset,
          decoded.ok ? `unhandled event ${decoded.envelope.type}` : decoded.reason);
        return [];
      }
      const { time, causationid } = decoded.envelope;
      return [{ event, time: new Date(time), causationId: causationid }];
    });
  }

  /** Moves the stored positions with a compare-and-set: a fenced (former) owner writes nothing. */
  private async advance(manager: EntityManager, batches: PartitionBatch[]): Promise<void> {
    const fencedPartitions = await this.positions.advance(rowsQueryOf(manager.queryRunner!), batches, new Date());
    if (fencedPartitions.length > 0) {
      throw Object.assign(new Error(`projection of ${batches[0].topic}[${fencedPartitions.join(', ')}] was fenced`),
        { fencedPartitions });
    }
  }

  release(): void {
    // The projection keeps no state in memory.
  }
}
