import type { StatementEntry } from './statement';

/** A booked entry of our settlement account, for statement tests. */
export function statementEntry(overrides: Partial<StatementEntry> = {}): StatementEntry {
  return {
    entryReference: 'ent_1',
    kind: 'transfer_booked',
    creditDebit: 'DBIT',
    amountMinor: 1_250n,
    currency: 'EUR',
    bookingDate: '2026-12-01',
    valueDate: '2026-12-01',
    bookedAt: '2026-12-01T10:00:00.000Z',
    endToEndId: 'E2E-1',
    transactionId: 'trf_1',
    counterpartyIban: 'DE50100000000000000001',
    counterpartyName: 'Ada Lovelace',
    remittanceInformation: 'invoice 7',
    reasonCode: null,
    ...overrides,
  };
}
