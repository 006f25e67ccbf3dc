import { Principal } from '@rtp/gateway/domain';
import { AccountView } from '../ports/views';
import { GetBalanceHandler } from './get-balance.handler';

const ACME: Principal = { clientId: 'acme', scopes: ['payments'] };
const AS_OF = new Date('2026-12-01T12:00:00Z');

describe('GetBalanceHandler', () => {
  const asked: [string, Date][] = [];
  const handler = new GetBalanceHandler({
    readAccount: async (id) =>
      ({
        id,
        clientId: id === 'mine' ? 'acme' : 'globex',
        currency: 'EUR',
        postedMinor: '70',
        pendingMinor: '20',
      }) as AccountView,
    balanceAsOf: async (id, asOf) => {
      asked.push([id, asOf]);
      return { posted: '50', pending: '0' };
    },
  });

  it("given its own account, when read now, then the balance is the account row's", async () => {
    expect(await handler.execute(ACME, 'mine', null)).toEqual({
      ok: true,
      value: {
        accountId: 'mine',
        currency: 'EUR',
        asOf: null,
        postedMinor: '70',
        pendingMinor: '20',
      },
    });
  });

  it('given its own account, when read as of an instant, then its entries answer', async () => {
    const result = await handler.execute(ACME, 'mine', AS_OF);
    expect(result).toMatchObject({ ok: true, value: { asOf: AS_OF, postedMinor: '50' } });
    expect(asked).toEqual([['mine', AS_OF]]);
  });

  it("given another client's account, then it is not found and its entries are not read", async () => {
    asked.length = 0;
    expect(await handler.execute(ACME, 'theirs', AS_OF)).toEqual({
      ok: false,
      refusal: { code: 'account_not_found', accountId: 'theirs' },
    });
    expect(asked).toEqual([]);
  });
});
