import { AccountReader } from '../get-account/get-account.port';
import { PaymentReader } from '../get-payment/get-payment.port';
import { Page, PaymentStatus } from '../ports/views';

export interface PaymentFilter {
  /** Only payments this client initiated or whose accounts it owns; null for all. */
  clientId: string | null;
  /** Only payments that debit or credit this account; null for any. */
  accountId: string | null;
  status: PaymentStatus | null;
}

export interface PaymentsReader extends AccountReader, PaymentReader {
  /** The ids of the payments the filter keeps, newest first, `limit` at most, from `cursor` on. */
  paymentIds(
    filter: PaymentFilter,
    limit: number,
    cursor: string | undefined,
  ): Promise<Page<string>>;
}
