import { projectionDeadLetters } from '../projection-dead-letters';
import { DataSource, EntityManager } from 'typeorm';
import { KafkaMessage } from 'kafkajs';
import { ConsumerPositions, rowsQueryOf } from '@rtp/shared/database';
import { CONSUMER_GROUPS, TOPICS, decodeEnvelope, parsePaymentEvent } from '@rtp/contracts';
import {
  OutboxMessage,
  PartitionBatch,
  PartitionWorker,
  StoredPosition,
  describeFailure,
} from '@rtp/shared/kafka';
import { webhookPayload } from './webhook-payload';

interface Intake {
  eventId: string;
  eventType: string;
  clientId: string;
  paymentId: string;
  statusSequence: number;
  payload: string;
}

/**
 * One delivery per (endpoint, message) for every enabled endpoint of the payment's own client
 * (data.clientId) subscribed to the message's type. The delivery id, also its webhook-id, is
 * derived from both, so a redelivered message adds nothing.
 */
const INSERT_DELIVERIES = `
INSERT INTO gateway.webhook_deliveries (delivery_id, endpoint_id, event_id, event_type, payment_id,
  status_sequence, payload, status, attempts, next_attempt_at, budget_from, created_at)
SELECT 'msg_' || substr(encode(sha256(convert_to(e.endpoint_id || ' ' || m.event_id, 'UTF8')),
         'hex'), 1, 32),
  e.endpoint_id, m.event_id, m.event_type, m.payment_id, m.status_sequence, m.payload,
  'pending', 0, $7, $7, $7
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[])
  AS m (event_id, event_type, client_id, payment_id, status_sequence, payload)
JOIN gateway.webhook_endpoints e ON e.client_id = m.client_id AND e.status = 'enabled'
  AND m.event_type = ANY (e.event_types)
ON CONFLICT (endpoint_id, event_id) DO NOTHING`;

/**
 * Consumes payments.events.v1 (group gateway-webhooks) into webhook deliveries; the deliveries
 * and the stored position move in one transaction (compare-and-set), as in the gateway's
 * projections. A message it cannot read goes to gateway.projection.dlq.v1 with why.
 */
export class WebhookIntakeWorker implements PartitionWorker {
  private readonly positions = new ConsumerPositions('gateway', CONSUMER_GROUPS.gatewayWebhooks);

  constructor(
    private readonly dataSource: DataSource,
    private readonly deadLetters: (letters: OutboxMessage[]) => Promise<void>,
    private readonly payloadBytesMax: number,
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
    const intakes: Intake[] = [];
    const unusable: { message: KafkaMessage; reason: string }[] = [];
    for (const message of batch.messages) {
      const decoded = decodeEnvelope(message.value);
      if (!decoded.ok) {
        unusable.push({ message, reason: decoded.reason });
        continue;
      }
      const { id, type, data } = decoded.envelope;
      const event = parsePaymentEvent(type, data);
      if (!event) {
        unusable.push({ message, reason: `payment event ${type} it cannot read` });
        continue;
      }
      intakes.push({
        eventId: id,
        eventType: event.type,
        clientId: event.data.clientId,
        paymentId: event.data.payment.id,
        statusSequence: event.data.statusSequence,
        payload: webhookPayload(id, event.type, event.data, this.payloadBytesMax),
      });
    }
    // Dead letters first: once the position has moved past a message, nothing may have lost it.
    await this.sendDeadLetters(batch, unusable);
    await this.dataSource.transaction(async (manager) => {
      await this.advance(manager, batch);
      if (intakes.length > 0) await manager.query(INSERT_DELIVERIES, columnsOf(intakes));
    });
  }

  async isolate(batch: PartitionBatch, error: unknown): Promise<void> {
    const reason = `refused by the webhooks' database: ${describeFailure(error)}`;
    await this.sendDeadLetters(
      batch,
      batch.messages.map((message) => ({ message, reason })),
    );
    await this.dataSource.transaction((manager) => this.advance(manager, batch));
  }

  release(): void {
    // Nothing is kept in memory.
  }

  private async advance(manager: EntityManager, batch: PartitionBatch): Promise<void> {
    const fenced = await this.positions.advance(
      rowsQueryOf(manager.queryRunner!),
      [batch],
      new Date(),
    );
    if (fenced.length > 0) {
      throw Object.assign(new Error(`webhook intake of ${batch.topic} was fenced`), {
        fencedPartitions: fenced,
      });
    }
  }

  private async sendDeadLetters(
    batch: PartitionBatch,
    unusable: { message: KafkaMessage; reason: string }[],
  ): Promise<void> {
    if (unusable.length === 0) return;
    await this.deadLetters(projectionDeadLetters(batch.topic, batch.partition, unusable));
    for (const { message, reason } of unusable) {
      this.log(`dead-lettered ${batch.topic}[${batch.partition}]@${message.offset}: ${reason}`);
    }
  }
}

function columnsOf(intakes: Intake[]): unknown[] {
  return [
    intakes.map((intake) => intake.eventId),
    intakes.map((intake) => intake.eventType),
    intakes.map((intake) => intake.clientId),
    intakes.map((intake) => intake.paymentId),
    intakes.map((intake) => intake.statusSequence),
    intakes.map((intake) => intake.payload),
    new Date(),
  ];
}
