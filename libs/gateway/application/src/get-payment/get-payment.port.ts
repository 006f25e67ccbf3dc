import { PaymentRecord } from '../ports/views';

/** The read models of payments (the read replica when one is configured). */
export interface PaymentReader {
  readPayment(paymentId: string): Promise<PaymentRecord | null>;
}
