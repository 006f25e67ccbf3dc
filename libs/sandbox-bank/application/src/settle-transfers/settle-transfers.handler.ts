import {
  BookingRules,
  addMinor,
  assertStatusChange,
  decideBooking,
  randomFor,
} from '@rtp/sandbox-bank/domain';
import type {
  FaultSource,
  IdsAndClock,
  NewEntry,
  TransferChange,
  TransferRecord,
} from '../ports/bank-records';
import type { WebhookFactory } from '../ports/webhook-factory';

/** What settling needs from the store: the due transfers, locked, and one transaction. */
export interface SettlementStore {
  /**
   * Locks up to `limit` transfers due for `kind` (others' locked rows are skipped) and the
   * settlement account's balances, asks `decide` for their changes and applies them, together.
   */
  settleDue(input: {
    kind: 'booking' | 'return';
    limit: number;
    now: Date;
    decide: (due: TransferRecord[], balances: ReadonlyMap<string, bigint>) => TransferChange[];
  }): Promise<TransferChange[]>;
}

export interface SettlementSettings {
  settlementIban: string;
  returnDelayMs: number;
  batchSizeMax: number;
}

/** The durable background work of booking accepted transfers and returning booked ones. */
export class SettleTransfersHandler {
  constructor(
    private readonly store: SettlementStore,
    private readonly webhooks: WebhookFactory,
    private readonly faults: FaultSource,
    private readonly rules: BookingRules,
    private readonly settings: SettlementSettings,
    private readonly system: IdsAndClock,
  ) {}

  private entry(transfer: TransferRecord, kind: NewEntry['kind'], now: Date): NewEntry {
    return {
      entryReference: this.system.newId('ent'),
      accountIban: this.settings.settlementIban,
      kind,
      creditDebit: kind === 'transfer_booked' ? 'DBIT' : 'CRDT',
      amountMinor: transfer.amountMinor,
      currency: transfer.currency,
      bookedAt: now,
      endToEndId: transfer.endToEndId,
      transactionId: transfer.id,
      counterpartyIban: transfer.creditorIban,
      counterpartyName: transfer.creditorName,
      remittanceInformation: transfer.remittanceInformation,
      reasonCode: this.reasonOf(transfer, kind),
    };
  }

  private reasonOf(transfer: TransferRecord, kind: NewEntry['kind']): string | null {
    if (kind === 'transfer_returned') return transfer.returnReasonCode;
    return kind === 'transfer_reversed' ? transfer.reasonCode : null;
  }

  /**
   * A booked transfer is one debit. A rejected one is debited and credited back at once (the
   * reversal names the reason), so that the statement proves the rejection.
   */
  private bookingEntries(transfer: TransferRecord, now: Date): NewEntry[] {
    if (transfer.status === 'booked') return [this.entry(transfer, 'transfer_booked', now)];
    if (transfer.status !== 'rejected') return [];
    return [
      this.entry(transfer, 'transfer_booked', now),
      // A millisecond later, so that the statement lists the reversal after what it reverses.
      this.entry(transfer, 'transfer_reversed', new Date(now.getTime() + 1)),
    ];
  }

  private book(due: TransferRecord[], balances: ReadonlyMap<string, bigint>, now: Date) {
    const available = new Map(balances);
    const faults = this.faults.current();
    return due.map((transfer): TransferChange => {
      const decision = decideBooking(
        transfer,
        available.get(transfer.currency) ?? null,
        this.rules,
        faults.rejectRate,
        randomFor(this.faults.seed, 'booking', transfer.id),
      );
      const next: TransferRecord =
        decision.status === 'booked'
          ? {
              ...transfer,
              status: 'booked',
              bookedAt: now,
              returnReasonCode: decision.returnReasonCode,
              returnAfter: decision.returnReasonCode
                ? new Date(now.getTime() + this.settings.returnDelayMs)
                : null,
            }
          : { ...transfer, status: 'rejected', reasonCode: decision.reasonCode };
      if (decision.status === 'rejected' && decision.cause === 'fault')
        this.faults.record('reject');
      assertStatusChange(transfer.status, next.status);
      if (next.status === 'booked') {
        const balance = available.get(transfer.currency) ?? 0n;
        available.set(transfer.currency, addMinor(balance, -transfer.amountMinor));
      }
      return {
        previousStatus: transfer.status,
        transfer: next,
        entries: this.bookingEntries(next, now),
        webhook: this.webhooks.transferUpdated(next, now),
      };
    });
  }

  private returnBooked(due: TransferRecord[], now: Date) {
    return due.map((transfer): TransferChange => {
      const next: TransferRecord = {
        ...transfer,
        status: 'returned',
        reasonCode: transfer.returnReasonCode,
        returnedAt: now,
      };
      assertStatusChange(transfer.status, next.status);
      return {
        previousStatus: transfer.status,
        transfer: next,
        entries: [this.entry(next, 'transfer_returned', now)],
        webhook: this.webhooks.transferUpdated(next, now),
      };
    });
  }

  /** One round of both kinds; returns how many transfers changed status. */
  async settleOnce(): Promise<TransferChange[]> {
    const now = this.system.now();
    const limit = this.settings.batchSizeMax;
    const booked = await this.store.settleDue({
      kind: 'booking',
      limit,
      now,
      decide: (due, balances) => this.book(due, balances, now),
    });
    const returned = await this.store.settleDue({
      kind: 'return',
      limit,
      now,
      decide: (due) => this.returnBooked(due, now),
    });
    return [...booked, ...returned];
  }
}
