import { projectionDeadLetters } from '../projection-dead-letters';
import { DataSource, EntityManager } from 'typeorm';
import { KafkaMessage } from 'kafkajs';
import { ConsumerPositions, rowsQueryOf } from '@rtp/shared/database';
import {
  CONSUMER_GROUPS,
  ReconciliationEvent,
  TOPICS,
  decodeEnvelope,
  parseReconciliationEvent,
} from '@rtp/contracts';
import {
  OutboxMessage,
  PartitionBatch,
  PartitionWorker,
  StoredPosition,
  describeFailure,
} from '@rtp/shared/kafka';
import { projectReconciliationEvent } from './reconciliation-events.statements';

interface Unusable {
  message: KafkaMessage;
  reason: string;
}

/**
 * Projects reconciliation.events.v1 into the review queue's read models (consumer group
 * gateway-reconciliation), exactly once like the gateway's other projection: the rows and the
 * stored position move in one transaction, with a compare-and-set on the position. An event it
 * cannot read, or that its database refuses, goes to gateway.projection.dlq.v1 with why and is
 * passed over; the reconciler's own store keeps it for a rebuild.
 */
export class ReconciliationProjectionWorker implements PartitionWorker {
  private readonly positions = new ConsumerPositions(
    'gateway',
    CONSUMER_GROUPS.gatewayReconciliation,
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly deadLetters: (letters: OutboxMessage[]) => Promise<void>,
    private readonly log: (message: string) => void,
  ) {}

  acquire(topic: string, partition: number): Promise<StoredPosition> {
    return this.positions.acquire(
      (sql, parameters) => this.dataSource.query(sql, parameters),
      topic,
      partition,
    );
  }

  async process(batch: PartitionBatch): Promise<void> {
    const events: { id: string; event: ReconciliationEvent }[] = [];
    const unusable: Unusable[] = [];
    for (const message of batch.messages) {
      const decoded = decodeEnvelope(message.value);
      if (!decoded.ok) {
        unusable.push({ message, reason: decoded.reason });
        continue;
      }
      const { id, type, data } = decoded.envelope;
      const event = parseReconciliationEvent(type, data);
      if (event) events.push({ id, event });
      else unusable.push({ message, reason: `reconciliation event ${type} it cannot read` });
    }
    // Dead letters first: once the position has moved past an event, nothing may have lost it.
    await this.sendDeadLetters(batch, unusable);
    await this.dataSource.transaction(async (manager) => {
      await this.advance(manager, batch);
      for (const { id, event } of events) await projectReconciliationEvent(manager, id, event);
    });
  }

  async isolate(batch: PartitionBatch, error: unknown): Promise<void> {
    const reason = `refused by the projection's database: ${describeFailure(error)}`;
    await this.sendDeadLetters(
      batch,
      batch.messages.map((message) => ({ message, reason })),
    );
    await this.dataSource.transaction((manager) => this.advance(manager, batch));
  }

  release(): void {
    // The projection keeps no state in memory.
  }

  private async advance(manager: EntityManager, batch: PartitionBatch): Promise<void> {
    const fenced = await this.positions.advance(
      rowsQueryOf(manager.queryRunner!),
      [batch],
      new Date(),
    );
    if (fenced.length > 0) {
      throw Object.assign(
        new Error(`projection of ${batch.topic}[${fenced.join(', ')}] was fenced`),
        {
          fencedPartitions: fenced,
        },
      );
    }
  }

  private async sendDeadLetters(batch: PartitionBatch, unusable: Unusable[]): Promise<void> {
    if (unusable.length === 0) return;
    await this.deadLetters(projectionDeadLetters(batch.topic, batch.partition, unusable));
    for (const { message, reason } of unusable) {
      this.log(`dead-lettered ${batch.topic}[${batch.partition}]@${message.offset}: ${reason}`);
    }
  }
}
