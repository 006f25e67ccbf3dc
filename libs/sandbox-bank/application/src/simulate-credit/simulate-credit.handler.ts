import { createHash } from 'node:crypto';
import { isValidIBAN } from 'ibantools';
import { SandboxCreditRequest, canonicalJson } from '@rtp/contracts';
import type { IdsAndClock, NewEntry, NewWebhook } from '../ports/bank-records';
import type { WebhookFactory } from '../ports/webhook-factory';

export interface CreditRecord {
  id: string;
  creditorIban: string;
  debtorIban: string;
  debtorName: string;
  amountMinor: bigint;
  currency: string;
  endToEndId: string;
  remittanceInformation: string | null;
  bookedAt: Date;
}

export interface CreditStore {
  /** Books the credit (entry, balance, webhook) in one transaction; a key already used wins. */
  bookCredit(input: {
    idempotencyKey: string | null;
    fingerprint: string;
    expiresAt: Date;
    credit: CreditRecord;
    entry: NewEntry;
    webhook: NewWebhook | null;
  }): Promise<{ created: boolean; fingerprint: string; credit: CreditRecord }>;
}

export type SimulateCreditResult =
  | { kind: 'created' | 'replayed'; credit: CreditRecord }
  | { kind: 'refused'; code: 'idempotency_key_reused' | 'invalid_iban' };

/**
 * `POST /admin/credits`: a customer wires money to one of our virtual IBANs. The bank does not
 * know which virtual IBANs the platform handed out; it books any valid one to our settlement
 * account and tells us by `credit.booked` (the adapter decides, e.g. suspense for an unknown one).
 */
export class SimulateCreditHandler {
  constructor(
    private readonly store: CreditStore,
    private readonly webhooks: WebhookFactory,
    private readonly settings: { settlementIban: string; idempotencyRetentionMs: number },
    private readonly system: IdsAndClock,
  ) {}

  async execute(
    idempotencyKey: string | null,
    request: SandboxCreditRequest,
  ): Promise<SimulateCreditResult> {
    if (!isValidIBAN(request.creditorIban) || !isValidIBAN(request.debtor.iban)) {
      return { kind: 'refused', code: 'invalid_iban' };
    }
    const now = this.system.now();
    const credit: CreditRecord = {
      id: this.system.newId('crd'),
      creditorIban: request.creditorIban,
      debtorIban: request.debtor.iban,
      debtorName: request.debtor.name,
      amountMinor: BigInt(request.amountMinor),
      currency: request.currency,
      endToEndId: request.endToEndId,
      remittanceInformation: request.remittanceInformation,
      bookedAt: now,
    };
    const entry: NewEntry = {
      entryReference: this.system.newId('ent'),
      accountIban: this.settings.settlementIban,
      kind: 'credit_booked',
      creditDebit: 'CRDT',
      amountMinor: credit.amountMinor,
      currency: credit.currency,
      bookedAt: now,
      endToEndId: credit.endToEndId,
      transactionId: credit.id,
      counterpartyIban: credit.debtorIban,
      counterpartyName: credit.debtorName,
      remittanceInformation: credit.remittanceInformation,
      reasonCode: null,
    };
    const webhook = this.webhooks.creditBooked(
      {
        transactionId: credit.id,
        creditorIban: credit.creditorIban,
        debtor: request.debtor,
        amountMinor: request.amountMinor,
        currency: credit.currency,
        endToEndId: credit.endToEndId,
        remittanceInformation: credit.remittanceInformation,
        bookedAt: now.toISOString(),
      },
      now,
    );
    const fingerprint = createHash('sha256').update(canonicalJson(request)).digest('hex');
    const expiresAt = new Date(now.getTime() + this.settings.idempotencyRetentionMs);
    const result = await this.store.bookCredit({
      idempotencyKey,
      fingerprint,
      expiresAt,
      credit,
      entry,
      webhook,
    });
    if (result.created) return { kind: 'created', credit: result.credit };
    if (result.fingerprint !== fingerprint)
      return { kind: 'refused', code: 'idempotency_key_reused' };
    return { kind: 'replayed', credit: result.credit };
  }
}
