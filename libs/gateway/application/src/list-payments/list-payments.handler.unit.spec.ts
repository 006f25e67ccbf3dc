import { Principal } from '@rtp/gateway/domain';
import { AccountView, PaymentRecord } from '../ports/views';
import { ListPaymentsHandler } from './list-payments.handler';
import { PaymentFilter, PaymentsReader } from './list-payments.port';

const ACME: Principal = { clientId: 'acme', scopes: ['payments'] };
const ADMIN: Principal = { clientId: 'admin', scopes: ['admin', 'payments'] };
const AT = new Date('2026-12-01T12:00:00Z');

const account = (id: string, clientId: string) => ({ id, clientId }) as AccountView;
const payment = (id: string): PaymentRecord => ({
  id,
  kind: 'transfer',
  clientId: 'acme',
  sourceAccountId: 'a',
  destinationAccountId: 'b',
  amountMinor: '5',
  currency: 'EUR',
  status: 'completed',
  failureCode: null,
  reference: null,
  metadata: null,
  createdAt: AT,
  updatedAt: AT,
  failedLeg: null,
  sourceClientId: 'acme',
  destinationClientId: 'acme',
});

/** Read models in memory: the filters the handler asked for, and one id no row answers. */
class InMemoryPayments implements PaymentsReader {
  readonly filters: PaymentFilter[] = [];
  private readonly accounts = new Map([
    ['a', account('a', 'acme')],
    ['g', account('g', 'globex')],
  ]);

  async readAccount(accountId: string) {
    return this.accounts.get(accountId) ?? null;
  }

  async readPayment(paymentId: string) {
    return paymentId === 'gone' ? null : payment(paymentId);
  }

  async paymentIds(filter: PaymentFilter) {
    this.filters.push(filter);
    return { data: ['p1', 'gone', 'p2'], nextCursor: 'next' };
  }
}

describe('ListPaymentsHandler', () => {
  let reader: InMemoryPayments;
  let handler: ListPaymentsHandler;
  const query = { accountId: null, status: null, limit: 20, cursor: undefined };

  beforeEach(() => {
    reader = new InMemoryPayments();
    handler = new ListPaymentsHandler(reader);
  });

  describe('given a client', () => {
    it('when it lists, then only its payments are asked for, and rows gone are left out', async () => {
      const result = await handler.execute(ACME, query);
      expect(reader.filters).toEqual([{ clientId: 'acme', accountId: null, status: null }]);
      expect(result).toMatchObject({
        ok: true,
        value: { data: [{ id: 'p1' }, { id: 'p2' }], nextCursor: 'next' },
      });
    });

    it("when it lists another client's account, then that account is not found", async () => {
      expect(await handler.execute(ACME, { ...query, accountId: 'g' })).toEqual({
        ok: false,
        refusal: { code: 'account_not_found', accountId: 'g' },
      });
      expect(reader.filters).toEqual([]);
    });
  });

  describe('given the admin', () => {
    it("when it lists an account, then every client's payments of it are asked for", async () => {
      await handler.execute(ADMIN, { ...query, accountId: 'g', status: 'completed' });
      expect(reader.filters).toEqual([{ clientId: null, accountId: 'g', status: 'completed' }]);
    });
  });
});
