import { AccountVisibility, Principal, Result, succeeded } from '@rtp/gateway/domain';
import { Page, PaymentRecord } from '../ports/views';
import { visibleAccount } from '../visible-account';
import { PaymentFilter, PaymentsReader } from './list-payments.port';

export interface PaymentsQuery {
  accountId: string | null;
  status: PaymentFilter['status'];
  limit: number;
  cursor: string | undefined;
}

/** The payments the caller sees, newest first, optionally of one of its accounts or one status. */
export class ListPaymentsHandler {
  constructor(private readonly payments: PaymentsReader) {}

  async execute(principal: Principal, query: PaymentsQuery): Promise<Result<Page<PaymentRecord>>> {
    if (query.accountId !== null) {
      const read = (id: string) => this.payments.readAccount(id);
      const found = await visibleAccount(read, principal, query.accountId);
      if (!found.ok) return found;
    }
    const filter: PaymentFilter = {
      clientId: AccountVisibility.listedClient(principal),
      accountId: query.accountId,
      status: query.status,
    };
    const page = await this.payments.paymentIds(filter, query.limit, query.cursor);
    const payments = await Promise.all(page.data.map((id) => this.payments.readPayment(id)));
    return succeeded({
      data: payments.filter((payment): payment is PaymentRecord => payment !== null),
      nextCursor: page.nextCursor,
    });
  }
}
