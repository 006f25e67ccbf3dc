import { DataSource, EntityManager } from 'typeorm';
import { CONSUMER_GROUPS, TOPICS } from '@rtp/contracts';
import { ConsumerPositions, rowsQueryOf } from '@rtp/shared/database';
import { PartitionBatch, PartitionWorker, StoredPosition } from '@rtp/shared/kafka';
import { adapterMetrics } from './adapter-metrics';
import {
  ReservedPayoutRow,
  Unusable,
  VirtualIbanRow,
  deadLetterMessage,
  readLedgerEvents,
} from './ledger-events.reading';
import { PayoutStore } from './store/payout-store';

export type { ReservedPayoutRow } from './ledger-events.reading';

export interface LedgerEventsWorkerOptions {
  partnerId: string;
  pendingDeadlineMs: number;
  log: (level: 'warn' | 'error', message: string) => void;
}

/**
 * Consumes ledger.events.v1: a PayoutReserved for our partner becomes one queued payout, an
 * AccountOpened with a virtual IBAN an entry of the IBAN map. The rows, the dead letters of what
 * it needs but cannot read (through the outbox) and the consumer position are written in one
 * transaction (compare-and-set on the position): a PayoutReserved consumed twice makes one
 * payout row, and no position moves past a message that is neither used nor dead-lettered.
 */
export class LedgerEventsWorker implements PartitionWorker {
  private readonly positions = new ConsumerPositions(
    'partner_adapter',
    CONSUMER_GROUPS.partnerAdapter,
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: PayoutStore,
    private readonly options: LedgerEventsWorkerOptions,
  ) {}

  acquire(topic: string, partition: number): Promise<StoredPosition> {
    return this.positions.acquire(
      (sql, parameters) => this.dataSource.query(sql, parameters),
      topic,
      partition,
    );
  }

  async process(batch: PartitionBatch): Promise<void> {
    const { payouts, ibans, unusable } = readLedgerEvents(batch.messages, this.options.partnerId);
    await this.store.commit(async (manager, write) => {
      await this.advance(manager, batch);
      await write(unusable.map((item) => deadLetterMessage(batch.topic, batch.partition, item)));
      await this.insertPayouts(manager, payouts);
      await insertIbans(manager, ibans);
    });
    this.count(batch, unusable);
  }

  private count(batch: PartitionBatch, unusable: Unusable[]): void {
    for (const { message, cause, reason } of unusable) {
      adapterMetrics.deadLetters.inc({ cause });
      if (cause === 'unreadable_reservation') adapterMetrics.unreadableReservations.inc();
      this.options.log(
        'error',
        `dead-lettered ${batch.topic}[${batch.partition}]@${message.offset} to ` +
          `${TOPICS.partnerAdapterDeadLetters}: ${reason}`,
      );
    }
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
      throw Object.assign(
        new Error(`partner adapter consumer of ${batch.topic}[${fenced.join(', ')}] was fenced`),
        {
          fencedPartitions: fenced,
        },
      );
    }
  }

  private async insertPayouts(manager: EntityManager, payouts: ReservedPayoutRow[]): Promise<void> {
    if (payouts.length === 0) return;
    const deadline = (at: Date) => new Date(at.getTime() + this.options.pendingDeadlineMs);
    const rows: { state: string }[] = await manager.query(
      `INSERT INTO partner_adapter.payouts (payment_id, account_id, partner_id, amount_minor, currency,
         beneficiary_iban, beneficiary_name, end_to_end_id, reference, state, next_send_at,
         deadline_at, reserved_at, updated_at, traceparent)
       SELECT v.payment_id, v.account_id, v.partner_id, v.amount_minor, v.currency, v.iban, v.name,
         v.e2e, v.reference, 'queued', now(), v.deadline_at, v.reserved_at, now(), v.traceparent
       FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[],
         $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[], $12::text[])
         WITH ORDINALITY AS v(payment_id, account_id, partner_id, amount_minor, currency, iban, name,
           e2e, reference, deadline_at, reserved_at, traceparent, ordinal)
       ORDER BY v.ordinal
       ON CONFLICT (payment_id) DO NOTHING RETURNING state`,
      [
        payouts.map((p) => p.data.paymentId),
        payouts.map((p) => p.data.accountId),
        payouts.map((p) => p.data.partnerId),
        payouts.map((p) => p.data.amountMinor),
        payouts.map((p) => p.data.currency),
        payouts.map((p) => p.data.beneficiary.iban),
        payouts.map((p) => p.data.beneficiary.name),
        payouts.map((p) => p.data.endToEndId),
        payouts.map((p) => p.data.reference),
        payouts.map((p) => deadline(p.reservedAt)),
        payouts.map((p) => p.reservedAt),
        payouts.map((p) => p.traceparent),
      ],
    );
    adapterMetrics.payoutTransitions.inc(
      { partner: this.options.partnerId, state: 'queued' },
      rows.length,
    );
  }
}

async function insertIbans(manager: EntityManager, ibans: VirtualIbanRow[]): Promise<void> {
  if (ibans.length === 0) return;
  await manager.query(
    `INSERT INTO partner_adapter.virtual_ibans (iban, account_id, currency)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (iban) DO NOTHING`,
    [ibans.map((i) => i.iban), ibans.map((i) => i.accountId), ibans.map((i) => i.currency)],
  );
}
