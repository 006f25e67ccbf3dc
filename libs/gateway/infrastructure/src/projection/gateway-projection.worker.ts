import { projectionDeadLetters } from '../projection-dead-letters';
import { DataSource, EntityManager } from 'typeorm';
import { ConsumerPositions, rowsQueryOf } from '@rtp/shared/database';
import { KafkaMessage } from 'kafkajs';
import { Counter } from 'prom-client';
import {
  CONSUMER_GROUPS,
  PartnerEvent,
  TOPICS,
  decodeEnvelope,
  parseLedgerEvent,
  parsePartnerEvent,
} from '@rtp/contracts';
import {
  OutboxMessage,
  PartitionBatch,
  PartitionWorker,
  StoredPosition,
  describeFailure,
} from '@rtp/shared/kafka';
import { writeActionOutcomes } from './account-action.projector';
import {
  writeAccountChanges,
  writeAccountOpenRejections,
  writeAccountOpenings,
} from './account-changes.statements';
import { writeAccountEntries } from './account-entries.projector';
import { ProjectedEvent, projectLedgerEvents } from './ledger-event.projector';
import { writePaymentsAndWake } from './payment-changes.statements';
import { StatusesReached, mergeStatusesReached, statusesReachedOf } from './payment-events';
import { writePaymentEvents } from './payment-events.statements';
import { observeTerminalPayments } from './payment-metrics';
import {
  PayoutChange,
  mergePayoutChanges,
  payoutChangeOfLedgerEvent,
  payoutChangeOfPartnerEvent,
} from './payout-changes';
import { writePayoutChanges } from './payout-changes.statements';

export const OUTCOME_CHANNEL = 'gateway_outcomes';

/** Where the projection's dead letters go: the gateway's producer (acks from all replicas). */
export type DeadLetterSink = (letters: OutboxMessage[]) => Promise<void>;

/** Why an event was dead-lettered: a bounded label set. */
type DeadLetterCause = 'undecodable' | 'unhandled_type' | 'refused';

const deadLettered = new Counter({
  name: 'gateway_projection_dead_letters_total',
  help:
    'Ledger events the projection could not project, sent to gateway.projection.dlq.v1 ' +
    '(undecodable, an event type it does not know, or refused by its database)',
  labelNames: ['cause'] as const,
});

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
    /** Receives every event the projection passes over, before its position moves past it. */
    private readonly deadLetters: DeadLetterSink,
    private readonly log: (message: string) => void,
    consumerGroup: string = CONSUMER_GROUPS.gatewayProjections,
    /** Told after a commit that put payments.events.v1 messages in the outbox (to publish them). */
    private readonly paymentEventsWritten: () => void = () => undefined,
  ) {
    this.positions = new ConsumerPositions('gateway', consumerGroup);
  }

  acquire(topic: string, partition: number): Promise<StoredPosition> {
    return this.positions.acquire(
      (sql, parameters) => this.dataSource.query(sql, parameters),
      topic,
      partition,
    );
  }

  /**
   * An event that fails its batch permanently (the database refuses what it makes) is dead-lettered
   * with the reason and passed over, so the other accounts' read models move on; the ledger's event
   * store still holds it for a rebuild once the cause is fixed.
   */
  async isolate(batch: PartitionBatch, error: unknown): Promise<void> {
    await this.sendDeadLetters(
      batch.topic,
      batch.partition,
      batch.messages.map((message) => ({
        message,
        cause: 'refused' as const,
        reason: `refused by the projection's database: ${describeFailure(error)}`,
      })),
    );
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
    // Dead letters first: once the position has moved past an event, nothing may have lost it. A
    // retry sends them again, with the same ids.
    const decoded = batches.map((batch) => this.decode(batch));
    for (const [index, { unusable }] of decoded.entries()) {
      await this.sendDeadLetters(batches[index].topic, batches[index].partition, unusable);
    }
    const { written, terminal } = await this.dataSource.transaction(async (manager) => {
      await this.advance(manager, batches);
      const changes = projectLedgerEvents(decoded.flatMap(({ events }) => events));
      const payouts = payoutChangesOf(decoded);
      await writePayoutChanges(manager, payouts, at);
      // A payout's request waits for the ledger's decision (funds held or refused), not its end.
      for (const payout of payouts) if (payout.decided) changes.wokenIds.push(payout.paymentId);
      await writeAccountOpenings(manager, changes.openings, at);
      await writeAccountOpenRejections(manager, changes.openRejections, at);
      // Before the accounts' changes: an outcome adds its own to the row as it was.
      await writeActionOutcomes(manager, changes.actionOutcomes);
      await writeAccountChanges(manager, changes.accounts, at);
      await writeAccountEntries(manager, changes.entries);
      await writePaymentsAndWake(manager, changes.payments, changes.wokenIds, OUTCOME_CHANNEL, at);
      // Last: it reads the payments as this transaction left them, locked by the writes above.
      const reached = mergeStatusesReached(decoded.flatMap((batch) => batch.reached));
      return writePaymentEvents(manager, reached, at);
    });
    observeTerminalPayments(terminal, at);
    if (written > 0) this.paymentEventsWritten();
  }

  /** The batch's events, and the messages that are none the projection can use, with why. */
  private decode(batch: PartitionBatch): Decoded {
    const events: ProjectedEvent[] = [];
    const partnerEvents: ProjectedPartnerEvent[] = [];
    const unusable: Unusable[] = [];
    const reached: (StatusesReached | null)[] = [];
    for (const message of batch.messages) {
      const decoded = decodeEnvelope(message.value);
      if (!decoded.ok) {
        unusable.push({ message, cause: 'undecodable', reason: decoded.reason });
        continue;
      }
      if (batch.topic === TOPICS.partnerEvents) {
        const partnerEvent = parsePartnerEvent(decoded.envelope.type, decoded.envelope.data);
        if (partnerEvent) {
          const time = new Date(decoded.envelope.time);
          partnerEvents.push({ event: partnerEvent, time });
          reached.push(statusesReachedOf(partnerEvent, decoded.envelope.id, time));
          continue;
        }
        unusable.push({
          message,
          cause: 'unhandled_type',
          reason: `partner event ${decoded.envelope.type} that this projection cannot read`,
        });
        continue;
      }
      const event = parseLedgerEvent(decoded.envelope.type, decoded.envelope.data);
      if (!event) {
        // Events are written by the ledger from validated data: a newer type, or a drifted payload.
        unusable.push({
          message,
          cause: 'unhandled_type',
          reason: `event ${decoded.envelope.type} that this projection cannot read`,
        });
        continue;
      }
      const { time, causationid } = decoded.envelope;
      events.push({ event, time: new Date(time), causationId: causationid });
      reached.push(statusesReachedOf(event, decoded.envelope.id, new Date(time)));
    }
    return { events, partnerEvents, unusable, reached };
  }

  private async sendDeadLetters(
    topic: string,
    partition: number,
    unusable: Unusable[],
  ): Promise<void> {
    if (unusable.length === 0) return;
    await this.deadLetters(projectionDeadLetters(topic, partition, unusable));
    for (const { message, cause, reason } of unusable) {
      deadLettered.inc({ cause });
      this.log(
        `dead-lettered ${topic}[${partition}]@${message.offset} to ${TOPICS.projectionDeadLetters}: ${reason}`,
      );
    }
  }

  /** Moves the stored positions with a compare-and-set: a fenced (former) owner writes nothing. */
  private async advance(manager: EntityManager, batches: PartitionBatch[]): Promise<void> {
    const fencedPartitions = await this.positions.advance(
      rowsQueryOf(manager.queryRunner!),
      batches,
      new Date(),
    );
    if (fencedPartitions.length > 0) {
      throw Object.assign(
        new Error(`projection of ${batches[0].topic}[${fencedPartitions.join(', ')}] was fenced`),
        { fencedPartitions },
      );
    }
  }

  release(): void {
    // The projection keeps no state in memory.
  }
}

interface ProjectedPartnerEvent {
  event: PartnerEvent;
  time: Date;
}

interface Decoded {
  events: ProjectedEvent[];
  partnerEvents: ProjectedPartnerEvent[];
  unusable: Unusable[];
  /** What the events show of their payments' statuses, for payments.events.v1. */
  reached: (StatusesReached | null)[];
}

/** One merged change per payout, from the ledger's and the partner adapter's events alike. */
function payoutChangesOf(decoded: Decoded[]): PayoutChange[] {
  const changes = new Map<string, PayoutChange>();
  const add = (change: PayoutChange | null) => {
    if (!change) return;
    const earlier = changes.get(change.paymentId);
    changes.set(change.paymentId, earlier ? mergePayoutChanges(earlier, change) : change);
  };
  for (const { events, partnerEvents } of decoded) {
    for (const { event, time } of events) add(payoutChangeOfLedgerEvent(event, time));
    for (const { event, time } of partnerEvents) add(payoutChangeOfPartnerEvent(event, time));
  }
  return [...changes.values()];
}

interface Unusable {
  message: KafkaMessage;
  cause: DeadLetterCause;
  reason: string;
}
