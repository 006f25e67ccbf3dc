import { DataSource, EntityManager } from 'typeorm';
import { ConsumerPositions, rowsQueryOf } from '@rtp/shared/database';
import { CONSUMER_GROUPS, LedgerEvent, decodeEnvelope, parseLedgerEvent } from '@rtp/contracts';
import { PartitionBatch, PartitionWorker, StoredPosition } from '@rtp/shared/kafka';
import { projectAccountActionOutcome } from './account-action.projector';
import { projectAccountEntry } from './account-entries.projector';
import { projectLedgerEvent } from './ledger-event.projector';

export const OUTCOME_CHANNEL = 'gateway_outcomes';

function paymentIdOf(event: LedgerEvent): string[] {
  const data = event.data as { paymentId?: string; depositId?: string };
  const id = data.paymentId ?? data.depositId;
  return id ? [id] : [];
}

/**
 * Projects ledger events into the gateway's read models, exactly once: the projection and the
 * consumer position are written in one transaction with a compare-and-set on the position.
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
    await this.dataSource.transaction('READ COMMITTED', (manager) => this.advance(manager, [batch]));
  }

  async process(batch: PartitionBatch): Promise<void> {
    await this.processMany([batch]);
  }

  /**
   * One transaction for several partitions' batches (the runner groups what arrives together), each
   * with its own position compare-and-set; fenced partitions are named so the runner retries the rest.
   */
  async processMany(batches: PartitionBatch[]): Promise<void> {
    const at = new Date();
    await this.dataSource.transaction('READ COMMITTED', async (manager) => {
      await this.advance(manager, batches);
      const events = batches.flatMap((batch) => this.decode(batch));
      // Both legs of a payment update its row, from two partitions' batches at once: taking the
      // payments' locks in one global order (sorted ids) rules out deadlocks between batches.
      const paymentIds = [...new Set(events.flatMap(({ event }) => paymentIdOf(event)))].sort();
      if (paymentIds.length > 0) {
        await manager.query('SELECT pg_advisory_xact_lock(hashtextextended(id, 0)) FROM unnest($1::text[]) AS id',
          [paymentIds]);
      }
      const changed = new Set<string>();
      for (const { event, time, causationId } of events) {
        for (const id of await projectLedgerEvent(manager, event, at)) changed.add(id);
        const outcomes = await projectAccountActionOutcome(manager, event, causationId, time);
        for (const id of outcomes) changed.add(id);
        await projectAccountEntry(manager, event, time);
      }
      if (changed.size > 0) {
        await manager.query('SELECT pg_notify($1, id) FROM unnest($2::text[]) AS id', [OUTCOME_CHANNEL, [...changed]]);
      }
    });
  }

  private decode(batch: PartitionBatch) {
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
