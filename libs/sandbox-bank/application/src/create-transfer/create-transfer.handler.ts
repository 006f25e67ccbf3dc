import { createHash } from 'node:crypto';
import { isValidIBAN } from 'ibantools';
import { BankTransferRequest, canonicalJson } from '@rtp/contracts';
import type { IdsAndClock, TransferChange, TransferRecord } from '../ports/bank-records';
import type { WebhookFactory } from '../ports/webhook-factory';

/** What the handler needs from the store: one transaction claiming the key and writing it all. */
export interface CreateTransferStore {
  /**
   * Claims (`transfer`, key) with the fingerprint and writes the change, or, when the key is
   * taken (a unique constraint, so concurrent requests wait for each other), writes nothing and
   * returns the transfer and fingerprint the key is bound to.
   */
  createTransfer(input: {
    idempotencyKey: string;
    fingerprint: string;
    expiresAt: Date;
    change: TransferChange;
  }): Promise<{ created: boolean; fingerprint: string; transfer: TransferRecord }>;
}

export type CreateTransferResult =
  | { kind: 'created' | 'replayed'; transfer: TransferRecord }
  | { kind: 'refused'; code: 'idempotency_key_reused' | 'unknown_debtor_account' };

export interface CreateTransferSettings {
  settlementIban: string;
  bookingDelayMs: number;
  idempotencyRetentionMs: number;
}

/**
 * `POST /v1/transfers`. A creditor IBAN whose checksum is wrong is not refused at the door: like
 * a bank, the transfer is created and rejected at once with AC01 (incorrect account number), so
 * the caller gets a final answer it can act on under the same key.
 */
export class CreateTransferHandler {
  constructor(
    private readonly store: CreateTransferStore,
    private readonly webhooks: WebhookFactory,
    private readonly settings: CreateTransferSettings,
    private readonly system: IdsAndClock,
  ) {}

  async execute(
    idempotencyKey: string,
    request: BankTransferRequest,
  ): Promise<CreateTransferResult> {
    if (request.debtorIban !== this.settings.settlementIban) {
      return { kind: 'refused', code: 'unknown_debtor_account' };
    }
    const fingerprint = createHash('sha256').update(canonicalJson(request)).digest('hex');
    const now = this.system.now();
    const invalidCreditor = !isValidIBAN(request.creditor.iban);
    const transfer: TransferRecord = {
      id: this.system.newId('trf'),
      debtorIban: request.debtorIban,
      creditorIban: request.creditor.iban,
      creditorName: request.creditor.name,
      amountMinor: BigInt(request.amountMinor),
      currency: request.currency,
      endToEndId: request.endToEndId,
      remittanceInformation: request.remittanceInformation,
      status: invalidCreditor ? 'rejected' : 'accepted',
      reasonCode: invalidCreditor ? 'AC01' : null,
      createdAt: now,
      bookAfter: new Date(now.getTime() + this.settings.bookingDelayMs),
      bookedAt: null,
      returnAfter: null,
      returnReasonCode: null,
      returnedAt: null,
    };
    const result = await this.store.createTransfer({
      idempotencyKey,
      fingerprint,
      expiresAt: new Date(now.getTime() + this.settings.idempotencyRetentionMs),
      change: {
        previousStatus: null,
        transfer,
        entries: [],
        webhook: invalidCreditor ? this.webhooks.transferUpdated(transfer, now) : null,
      },
    });
    if (result.created) return { kind: 'created', transfer: result.transfer };
    if (result.fingerprint !== fingerprint)
      return { kind: 'refused', code: 'idempotency_key_reused' };
    return { kind: 'replayed', transfer: result.transfer };
  }
}
