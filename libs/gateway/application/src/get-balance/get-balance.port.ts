import { AccountReader } from '../get-account/get-account.port';

export interface BalanceReader extends AccountReader {
  /** The balance after the last entry at or before `asOf` (zero before the first). */
  balanceAsOf(accountId: string, asOf: Date): Promise<{ posted: string; pending: string }>;
}
