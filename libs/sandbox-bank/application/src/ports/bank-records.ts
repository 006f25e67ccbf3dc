import type { BankTransfer, BankTransferStatus, BankWebhook } from '@rtp/contracts';
import type { FaultKind, FaultSettings, StatementEntry } from '@rtp/sandbox-bank/domain';

/** A transfer as the bank keeps it. */
export interface TransferRecord {
  id: string;
  debtorIban: string;
  creditorIban: string;
  creditorName: string;
  amountMinor: bigint;
  currency: string;
  endToEndId: string;
  remittanceInformation: string | null;
  status: BankTransferStatus;
  reasonCode: string | null;
  createdAt: Date;
  bookAfter: Date;
  bookedAt: Date | null;
  returnAfter: Date | null;
  returnReasonCode: string | null;
  returnedAt: Date | null;
}

/** A webhook to deliver (the outbox row): `holdUntil` is when its first attempt may go. */
export interface NewWebhook {
  webhookId: string;
  event: BankWebhook;
  holdUntil: Date;
  duplicate: boolean;
}

/** A movement of our settlement account (debit when we pay out, credit on returns and credits). */
export type NewEntry = Omit<StatementEntry, 'bookingDate' | 'valueDate' | 'bookedAt'> & {
  accountIban: string;
  bookedAt: Date;
};

/** One status change of one transfer and everything it writes, applied in one transaction. */
export interface TransferChange {
  previousStatus: BankTransferStatus | null;
  transfer: TransferRecord;
  /** The entries it books: none, one, or a rejected transfer's debit and its reversal. */
  entries: NewEntry[];
  webhook: NewWebhook | null;
}

/** Ids and time come from outside, so handlers stay testable. */
export interface IdsAndClock {
  now(): Date;
  newId(prefix: 'trf' | 'crd' | 'msg' | 'ent'): string;
}

/** The fault settings in force and the seed every decision is drawn from. */
export interface FaultSource {
  readonly seed: number;
  current(): FaultSettings;
  /** Counts a fault that was injected (a metric). */
  record(kind: FaultKind): void;
}

export function toBankTransfer(record: TransferRecord): BankTransfer {
  return {
    id: record.id,
    status: record.status,
    endToEndId: record.endToEndId,
    amountMinor: record.amountMinor.toString(),
    currency: record.currency,
    reasonCode: record.reasonCode,
    createdAt: record.createdAt.toISOString(),
    bookedAt: record.bookedAt?.toISOString() ?? null,
    returnedAt: record.returnedAt?.toISOString() ?? null,
  };
}
