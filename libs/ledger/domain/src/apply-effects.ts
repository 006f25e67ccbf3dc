// The write path's effects of a decision on the in-memory accounts, system accounts included (they
// have no stream of their own). `evolve` folds the same changes from the events, for rebuilding.
import { AccountState } from './account';
import { AccountChange, HoldChange } from './decision';
import { Journal, assertAvailableWithinOverdraft, assertJournalMustBalance } from './invariants';

type Find = (id: string) => AccountState | undefined;

function mustFind(find: Find, accountId: string): AccountState {
  const account = find(accountId);
  if (!account) throw new Error(`change to unknown account ${accountId}`);
  return account;
}

/** Applies a balanced journal to the in-memory accounts it touches; returns the accounts changed. */
export function applyJournal(journal: Journal, find: Find): AccountState[] {
  assertJournalMustBalance(journal);
  const changed: AccountState[] = [];
  for (const posting of journal.postings) {
    const account = mustFind(find, posting.accountId);
    if (account.currency !== journal.currency) {
      throw new Error(
        `posting ${journal.currency} to ${account.currency} account ${account.accountId}`,
      );
    }
    account.postedMinor += posting.amountMinor;
    changed.push(account);
  }
  return changed;
}

/** Places or closes holds; pending is always the sum of the open holds. */
export function applyHoldChange(change: HoldChange, find: Find): AccountState {
  const account = mustFind(find, change.accountId);
  if (change.kind === 'placed') {
    account.holds.set(change.holdId, {
      amountMinor: change.amountMinor,
      partnerId: change.partnerId,
    });
    account.pendingMinor += change.amountMinor;
  } else {
    const hold = account.holds.get(change.holdId);
    if (!hold) throw new Error(`closing unknown hold ${change.holdId}`);
    account.holds.delete(change.holdId);
    account.pendingMinor -= hold.amountMinor;
  }
  return account;
}

export function applyAccountChange(change: AccountChange, find: Find): AccountState {
  const account = mustFind(find, change.accountId);
  if (change.status) account.status = change.status;
  if (change.freeze) account.freeze = change.freeze;
  return account;
}

/** Checked after every decision is applied: a failure is a bug and stops the batch. */
export function assertAccountInvariants(account: AccountState): void {
  assertAvailableWithinOverdraft(account);
}
