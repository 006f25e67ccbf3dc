import { Principal, isAdmin } from './api-key';

/** What the policy needs of an account: its owner, status and the owner's consent to credits. */
export interface VisibleAccount {
  clientId: string;
  status: string;
  acceptsCreditsFromOtherClients: boolean;
}

/** What the policy needs of a payment: who initiated it and who owns the accounts it moves. */
export interface VisiblePayment {
  clientId: string;
  sourceClientId: string | null;
  destinationClientId: string | null;
}

/**
 * Who may see and use which accounts and payments. A client sees only its own accounts (the admin
 * sees all); a payment is seen by its initiator and by the owners of the accounts it debits and
 * credits. Whatever a caller may not see answers exactly as if it did not exist, so that no answer
 * reveals anything about other clients' accounts.
 */
export const AccountVisibility = {
  /** A client sees and moves its own accounts; the admin any account. */
  seesAccount(principal: Principal, account: Pick<VisibleAccount, 'clientId'>): boolean {
    return account.clientId === principal.clientId || isAdmin(principal);
  },

  seesPayment(principal: Principal, payment: VisiblePayment): boolean {
    const parties = [payment.clientId, payment.sourceClientId, payment.destinationClientId];
    return isAdmin(principal) || parties.includes(principal.clientId);
  },

  /** The client whose payments a listing shows, or null for all of them (the admin). */
  listedClient(principal: Principal): string | null {
    return isAdmin(principal) ? null : principal.clientId;
  },

  /**
   * Whether money may move to or from the account at all: one whose opening the ledger has not
   * settled, or refused, is not there yet for anybody.
   */
  isOpen(account: Pick<VisibleAccount, 'status'>): boolean {
    return account.status !== 'opening' && account.status !== 'rejected';
  },

  /**
   * Whether the caller may pay into the account: an open one it sees, or another client's whose
   * owner accepts credits from other clients.
   */
  mayCredit(principal: Principal, account: VisibleAccount): boolean {
    return (
      AccountVisibility.isOpen(account) &&
      (AccountVisibility.seesAccount(principal, account) || account.acceptsCreditsFromOtherClients)
    );
  },
};
