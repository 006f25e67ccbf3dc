import { AccountState } from './account';
import { Journal, assertAvailableWithinOverdraft, assertJournalMustBalance } from './invariants';

/** Applies a balanced journal to the in-memory accounts it touches; returns the accounts changed. */
export function applyJournal(journal: Journal, find: (id: string) => AccountState | undefined): AccountState[] {
  assertJournalMustBalance(journal);
  const changed: AccountState[] = [];
  for (const posting of journal.postings) {
    const account = find(posting.accountId);
    if (!account) throw new Error(`posting to unknown account ${posting.accountId}`);
    if (account.currency !== journal.currency) {
      throw new Error(`posting ${journal.currency} to ${account.currency} account ${account.accountId}`);
    }
    account.postedMinor += posting.amountMinor;
    assertAvailableWithinOverdraft(account);
    changed.push(account);
  }
  return changed;
}
