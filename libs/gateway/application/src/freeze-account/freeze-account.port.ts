import { ClaimResult, IdempotencyClaim } from '../ports/idempotency';
import { OutgoingCommand } from '../ports/outgoing-command';
import { AccountView } from '../ports/views';

/** How the ledger took one freeze or unfreeze command. */
export interface AccountActionOutcome {
  failureCode: string | null;
  /** The account as that command left it (null when the ledger refused the command). */
  account: AccountView | null;
}

export interface AccountActionStore {
  findAccount(accountId: string): Promise<AccountView | null>;
  queueCommand(command: OutgoingCommand): Promise<void>;
  /** Claims the key for `commandId` and, only if it was free, queues the command, atomically. */
  acceptAccountAction(
    claim: IdempotencyClaim,
    commandId: string,
    command: OutgoingCommand,
  ): Promise<ClaimResult>;
  findActionOutcome(commandId: string): Promise<AccountActionOutcome | null>;
}
