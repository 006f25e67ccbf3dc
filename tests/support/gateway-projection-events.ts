import { LedgerEvent } from '@rtp/contracts';

/** Ledger events as the gateway's projection receives them, for its integration tests. */
export const balance = (postedMinor: number) => ({
  postedMinor: String(postedMinor),
  pendingMinor: '0',
  availableMinor: String(postedMinor),
});
export const opened = (accountId: string): LedgerEvent => ({
  type: 'AccountOpened',
  data: {
    accountId,
    currency: 'EUR',
    ownerId: 'acme',
    name: null,
    metadata: null,
    status: 'active',
    currencyExponent: 2,
    overdraftLimitMinor: '0',
    perDebitLimitMinor: null,
    balance: balance(0),
    accountSequence: 1,
  },
});
export const paymentId = (index: number) => `pay-${String(index).padStart(2, '0')}`;
const legs = (index: number, source: string, destination: string) => ({
  paymentId: paymentId(index),
  sourceAccountId: source,
  destinationAccountId: destination,
  amountMinor: '10',
  currency: 'EUR',
});
export const debited = (index: number, source: string, destination: string): LedgerEvent => ({
  type: 'TransferDebited',
  data: {
    ...legs(index, source, destination),
    initiatedBy: 'acme',
    reference: `ref-${index}`,
    metadata: null,
    balance: balance(-10 * (index + 1)),
    accountSequence: index + 2,
  },
});
export const completed = (index: number, source: string, destination: string): LedgerEvent => ({
  type: 'TransferCompleted',
  data: {
    ...legs(index, source, destination),
    balance: balance(10 * (index + 1)),
    accountSequence: index + 2,
  },
});
export const deposit = (
  accountId: string,
  accountSequence: number,
  postedMinor: number,
): LedgerEvent => ({
  type: 'DepositCompleted',
  data: {
    depositId: `dep-${accountId}-${accountSequence}`,
    accountId,
    amountMinor: '100',
    currency: 'EUR',
    reference: 'top-up',
    balance: balance(postedMinor),
    accountSequence,
  },
});
export const frozen = (accountId: string, accountSequence: number): LedgerEvent => ({
  type: 'AccountFrozen',
  data: {
    accountId,
    mode: 'debits',
    freeze: 'debits',
    reasonCode: 'fraud',
    actor: 'ops',
    accountSequence,
  },
});
/** An event with the command that caused it (a freeze's outcome is recorded under it). */
export interface Caused {
  event: LedgerEvent;
  causationId: string;
}
export const withoutUpdatedAt = (table: Record<string, unknown>[]) =>
  table.map(({ updated_at: _, ...row }) => row);
