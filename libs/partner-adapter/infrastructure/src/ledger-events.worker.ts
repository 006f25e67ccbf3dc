import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { CONSUMER_GROUPS, LEDGER_EVENT_SCHEMAS, decodeEnvelope } from '@rtp/contracts';
import { ConsumerPositions, rowsQueryOf } from '@rtp/shared/database';
import { PartitionBatch, PartitionWorker, StoredPosition } from '@rtp/shared/kafka';
import { adapterMetrics } from './adapter-metrics';

/**
 * PayoutReserved as the adapter reads it: with the beneficiary and our end-to-end reference (the
 * plan's additions; `extend` keeps them whether or not the contract has them yet).
 */
const payoutReservedSchema = LEDGER_EVENT_SCHEMAS.PayoutReserved.extend({
  beneficiary: z.strictObject({
    iban: z.string().min(5).max(34),
    name: z.string().min(1).max(140),
  }),
  endToEndId: z.string().min(1).max(35),
});
const accountOpenedSchema = LEDGER_EVENT_SCHEMAS.AccountOpened.extend({
  virtualIban: z.string().min(5).max(34).nullable().optional(),
});

export interface ReservedPayoutRow {
  data: z.infer<typeof payoutReservedSchema>;
  reservedAt: Date;
}

export interface LedgerEventsWorkerOptions {
  partnerId: string;
  pendingDeadlineMs: number;
  log: (level: 'warn' | 'error', message: string) => void;
}

/**
 * Consumes ledger.events.v1: a PayoutReserved for our partner becomes one queued payout, an
 * AccountOpened with a virtual IBAN an entry of the IBAN map. The rows and the consumer position
 * are written in one transaction (compare-and-set on the position): a PayoutReserved consumed
 * twice makes one payout row.
 */
export class LedgerEventsWorker implements PartitionWorker {
  private readonly positions = new ConsumerPositions(
    'partner_adapter',
    CONSUMER_GROUPS.partnerAdapter,
  );

  constructor(
    private readonly dataSource: DataSource,
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
    const payouts: ReservedPayoutRow[] = [];
    const ibans: { iban: string; accountId: string; currency: string }[] = [];
    for (const message of batch.messages) {
      const decoded = decodeEnvelope(message.value);
      if (!decoded.ok) continue;
      const { type, data, time } = decoded.envelope;
      if (type === 'PayoutReserved') {
        const parsed = payoutReservedSchema.safeParse(data);
        if (!parsed.success) {
          adapterMetrics.unreadableReservations.inc();
          this.options.log(
            'error',
            `PayoutReserved at offset ${message.offset} unreadable: ${parsed.error.message}`,
          );
          continue;
        }
        if (parsed.data.partnerId === this.options.partnerId) {
          payouts.push({ data: parsed.data, reservedAt: new Date(time) });
        }
      } else if (type === 'AccountOpened') {
        const parsed = accountOpenedSchema.safeParse(data);
        if (parsed.success && parsed.data.virtualIban) {
          ibans.push({
            iban: parsed.data.virtualIban,
            accountId: parsed.data.accountId,
            currency: parsed.data.currency,
          });
        }
      }
    }
    await this.dataSource.transaction(async (manager) => {
      await this.advance(manager, batch);
      await this.insertPayouts(manager, payouts);
      await insertIbans(manager, ibans);
    });
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
         deadline_at, reserved_at, updated_at)
       SELECT v.payment_id, v.account_id, v.partner_id, v.amount_minor, v.currency, v.iban, v.name,
         v.e2e, v.reference, 'queued', now(), v.deadline_at, v.reserved_at, now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[],
         $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[])
         WITH ORDINALITY AS v(payment_id, account_id, partner_id, amount_minor, currency, iban, name,
           e2e, reference, deadline_at, reserved_at, ordinal)
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
      ],
    );
    adapterMetrics.payoutTransitions.inc(
      { partner: this.options.partnerId, state: 'queued' },
      rows.length,
    );
  }
}

async function insertIbans(
  manager: EntityManager,
  ibans: { iban: string; accountId: string; currency: string }[],
): Promise<void> {
  if (ibans.length === 0) return;
  await manager.query(
    `INSERT INTO partner_adapter.virtual_ibans (iban, account_id, currency)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (iban) DO NOTHING`,
    [ibans.map((i) => i.iban), ibans.map((i) => i.accountId), ibans.map((i) => i.currency)],
  );
}
