// The ledger's settings live in its infrastructure library, where the tools read them too.
export { ledgerConfigShape, loadLedgerConfig } from '@rtp/ledger/config';
export type { LedgerConfig } from '@rtp/ledger/config';
