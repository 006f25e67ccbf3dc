import { DataSource } from 'typeorm';
import { CONSUMER_GROUPS, LedgerEvent, decodeEnvelope, parseLedgerEvent } from '@rtp/contracts';
import { PartitionBatch, PartitionWorker } from '@rtp/shared/kafka';
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
  constructor(
    private readonly dataSource: DataSource,
    private readonly onUndecodable: (topic: string, partition: number, offset: string, reason: string) => void,
    private readonly consumerGroup: string = CONSUMER_GROUPS.gatewayProjections,
  ) {}

  async acquire(topic: string, partition: number): Promise<bigint> {
    const rows: { next_offset: string }[] = await this.dataSource.query(
      `INSERT INTO gateway.consumer_offsets (consumer_group, topic, partition, next_offset, updated_at)
       VALUES ($1, $2, $3, 0, now())
       ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET consumer_group = EXCLUDED.consumer_group
       RETURNING next_offset`,
      [this.consumerGroup, topic, partition],
    );
    return BigInt(rows[0].next_offset);
  }

  async process(batch: PartitionBatch): Promise<void> {
    const at = new Date();
    await this.dataSource.transaction('READ COMMITTED', async (manager) => {
      // A structured result: TypeORM returns [rows, count] for a plain UPDATE … RETURNING.
      const moved = await manager.queryRunner!.query(
        `UPDATE gateway.consumer_offsets SET next_offset = $4, updated_at = now()
         WHERE consumer_group = $1 AND topic = $2 AND partition = $3 AND next_offset = $5 RETURNING partition`,
        [this.consumerGroup, batch.topic, batch.partition, batch.toOffset.toString(), batch.fromOffset.toString()],
        true,
      );
      if (moved.records.length !== 1) throw new Error(`projection of ${batch.topic}[${batch.partition}] was fenced`);
      const events = batch.messages.flatMap((message) => {
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

  release(): void {
    // The projection keeps no state in memory.
  }
}
