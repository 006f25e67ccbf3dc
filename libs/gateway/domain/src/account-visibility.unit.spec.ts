import { AccountVisibility } from './account-visibility';
import { Principal } from './api-key';

const ACME: Principal = { clientId: 'acme', scopes: ['payments'] };
const ADMIN: Principal = { clientId: 'admin', scopes: ['admin', 'payments'] };
const account = (clientId: string, status = 'active', acceptsCreditsFromOtherClients = false) => ({
  clientId,
  status,
  acceptsCreditsFromOtherClients,
});

describe('AccountVisibility', () => {
  describe('an account', () => {
    it.each([
      ['its owner', ACME, 'acme', true],
      ['another client', ACME, 'globex', false],
      ['the admin', ADMIN, 'globex', true],
    ])('is seen by %s: %s', (_who, principal, owner, seen) => {
      expect(AccountVisibility.seesAccount(principal, account(owner))).toBe(seen);
    });

    it.each([
      ['its own open account', account('acme'), true],
      ['its own account still opening', account('acme', 'opening'), false],
      ['its own account the ledger refused', account('acme', 'rejected'), false],
      ["another client's account without consent", account('globex'), false],
      ["another client's account with consent", account('globex', 'active', true), true],
      ["another client's frozen account with consent", account('globex', 'frozen', true), true],
    ])('may be credited by a client when it is %s', (_what, target, allowed) => {
      expect(AccountVisibility.mayCredit(ACME, target)).toBe(allowed);
    });
  });

  describe('a payment', () => {
    const payment = { clientId: 'acme', sourceClientId: 'acme', destinationClientId: 'globex' };

    it.each([
      ['its initiator', ACME, true],
      ["the destination's owner", { clientId: 'globex', scopes: ['payments'] }, true],
      ['a stranger', { clientId: 'initech', scopes: ['payments'] }, false],
      ['the admin', ADMIN, true],
    ] as const)('is seen by %s', (_who, principal, seen) => {
      expect(
        AccountVisibility.seesPayment({ ...principal, scopes: [...principal.scopes] }, payment),
      ).toBe(seen);
    });

    it('is listed for a client by its id, for the admin all of them', () => {
      expect(AccountVisibility.listedClient(ACME)).toBe('acme');
      expect(AccountVisibility.listedClient(ADMIN)).toBeNull();
    });
  });
});
