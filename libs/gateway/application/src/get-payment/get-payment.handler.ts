import { AccountVisibility, Principal, Result, refused, succeeded } from '@rtp/gateway/domain';
import { PaymentRecord } from '../ports/views';
import { PaymentReader } from './get-payment.port';

/** A payment or deposit, to its initiator and the owners of its accounts (AccountVisibility). */
export class GetPaymentHandler {
  constructor(private readonly payments: PaymentReader) {}

  async execute(principal: Principal, paymentId: string): Promise<Result<PaymentRecord>> {
    const payment = await this.payments.readPayment(paymentId);
    if (!payment || !AccountVisibility.seesPayment(principal, payment)) {
      return refused({ code: 'payment_not_found', paymentId });
    }
    return succeeded(payment);
  }
}
