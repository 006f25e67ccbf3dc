import { AccountState, availableMinor } from './account';

export interface Posting {
  accountId: string;
  /** Signed minor units: credits positive, debits negative. */
  amountMinor: bigint;
}

export interface Journal {
  currency: string;
  postings: Posting[];
}

/** A failed assertion is a bug, never an expected outcome: it crashes the batch loudly. */
export class InvariantViolation extends Error {
  constructor(invariant: string, detail: string) {
    super(`${invariant} violated: ${detail}`);
    this.name = 'InvariantViolation';
  }
}

export function assertJournalMustBalance(journal: Journal): void {
  if (journal.postings.length < 2) {
    throw new InvariantViolation(
      'JournalMustHaveTwoPostings',
      `${journal.postings.length} postings`,
    );
  }
  const sum = journal.postings.reduce((total, posting) => total + posting.amountMinor, 0n);
  if (sum !== 0n) {
    throw new InvariantViolation(
      'JournalMustBalance',
      `postings sum to ${sum} ${journal.currency}`,
    );
  }
}

export function debitMustNotExceedAvailable(account: AccountState, debitMinor: bigint): boolean {
  if (account.overdraftLimitMinor === null) return true;
  return availableMinor(account) - debitMinor >= -account.overdraftLimitMinor;
}

export function assertAvailableWithinOverdraft(account: AccountState): void {
  if (account.overdraftLimitMinor === null) return;
  if (availableMinor(account) < -account.overdraftLimitMinor) {
    throw new InvariantViolation(
      'AvailableMustStayWithinOverdraft',
      `${account.accountId} available ${availableMinor(account)} below -${account.overdraftLimitMinor}`,
    );
  }
}
