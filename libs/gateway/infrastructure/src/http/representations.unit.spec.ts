import { PaymentRecord } from '@rtp/gateway/application';
import { Principal } from '@rtp/gateway/domain';
import { paymentRepresentation } from './representations';

const payer: Principal = { clientId: 'payer', scopes: ['payments'] };
const payee: Principal = { clientId: 'payee', scopes: ['payments'] };
const admin: Principal = { clientId: 'admin', scopes: ['admin', 'payments'] };

function rejected(
  failedLeg: PaymentRecord['failedLeg'],
  failureCode: string,
  destinationClientId = 'payee',
) {
  const at = new Date(0);
  return {
    id: 'p1',
    kind: 'transfer',
    clientId: 'payer',
    sourceAccountId: 'a',
    destinationAccountId: 'b',
    amountMinor: '1',
    currency: 'EUR',
    status: 'rejected',
    failureCode,
    reference: null,
    metadata: null,
    createdAt: at,
    updatedAt: at,
    failedLeg,
    sourceClientId: 'payer',
    destinationClientId,
  } satisfies PaymentRecord;
}

describe('the failure code a reader of a payment sees', () => {
  const frozenCredit = rejected('credit', 'account_frozen');
  const poorDebit = rejected('debit', 'insufficient_funds');
  const cases: [string, PaymentRecord, Principal, string][] = [
    [
      'the payer, of a refused credit into another client',
      frozenCredit,
      payer,
      'destination_unavailable',
    ],
    ['the payee, of a refused credit into its account', frozenCredit, payee, 'account_frozen'],
    [
      'the admin, of a refused credit',
      rejected('credit', 'account_closed'),
      admin,
      'account_closed',
    ],
    [
      'the payer, of a refused credit into its own account',
      rejected('credit', 'account_frozen', 'payer'),
      payer,
      'account_frozen',
    ],
    ['the payer, of a refused debit', poorDebit, payer, 'insufficient_funds'],
    ['the payee, of a refused debit of another client', poorDebit, payee, 'source_unavailable'],
    [
      'the payer, of a refusal projected before legs were recorded',
      rejected(null, 'account_frozen'),
      payer,
      'account_frozen',
    ],
  ];

  it.each(cases)('is right for %s', (_name, payment, reader, code) => {
    expect(paymentRepresentation(payment, reader).failureCode).toBe(code);
  });

  it('names who initiated it without naming another client', () => {
    expect(paymentRepresentation(rejected('debit', 'x'), payee).initiatedBy).toBe('account_owner');
    const byAdmin = { ...rejected('debit', 'x'), clientId: 'admin' };
    expect(paymentRepresentation(byAdmin, payee).initiatedBy).toBe('admin');
  });
});
