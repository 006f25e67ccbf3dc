import { FreezeMode, commandIds } from '@rtp/contracts';
import {
  AccountVisibility,
  Principal,
  Result,
  refused,
  requestFingerprint,
  succeeded,
} from '@rtp/gateway/domain';
import { awaitSettled } from '../await-settled';
import { IdsAndClock } from '../ports/ids-and-clock.port';
import { CommandRelay, OutcomeNotifications } from '../ports/outcome-notifications.port';
import { OutgoingCommand, ledgerCommand } from '../ports/outgoing-command';
import { AccountView } from '../ports/views';
import { AccountActionStore } from './freeze-account.port';

export interface FreezeRequest {
  accountId: string;
  mode: FreezeMode;
  reason: string;
  /** The caller's Idempotency-Key, if any: the same key and request is then answered by replay. */
  idempotencyKey: string | null;
}

export type AccountAction = 'freeze' | 'unfreeze';

/** The ledger applied the action, or has not within the wait; a refusal is `ledger_refused`. */
export interface FreezeOutcome {
  state: 'applied' | 'pending';
  account: AccountView;
  replayed: boolean;
}

/**
 * Freezes or unfreezes an account's debits, credits or both (admin) and waits for the ledger's
 * outcome of this very command (not for any change of the account, which a payment also makes).
 * With an Idempotency-Key it follows the payments' rules: the same key and request answers the
 * original outcome, marked as a replay, and sends nothing; the key with another request is refused.
 */
export class FreezeAccountHandler {
  constructor(
    private readonly store: AccountActionStore,
    private readonly relay: CommandRelay,
    private readonly notifications: OutcomeNotifications,
    private readonly idempotencyRetentionMs: number,
    private readonly system: IdsAndClock,
  ) {}

  async execute(
    principal: Principal,
    action: AccountAction,
    request: FreezeRequest,
    waitMs: number,
  ): Promise<Result<FreezeOutcome>> {
    const before = await this.store.findAccount(request.accountId);
    if (!before || !AccountVisibility.isOpen(before)) {
      return refused({ code: 'account_not_found', accountId: request.accountId });
    }
    const sent = await this.send(principal, action, request);
    if (!sent.ok) return sent;
    const { commandId, replayed } = sent.value;
    const outcome = await awaitSettled(
      this.notifications,
      commandId,
      waitMs,
      () => this.store.findActionOutcome(commandId),
      (found) => found !== null,
    );
    if (!outcome) {
      const account = (await this.store.findAccount(request.accountId)) ?? before;
      return succeeded({ state: 'pending', account, replayed });
    }
    if (outcome.failureCode !== null || !outcome.account) {
      const failureCode = outcome.failureCode ?? 'account_not_found';
      return refused({ code: 'ledger_refused', failureCode, replayed });
    }
    return succeeded({ state: 'applied', account: outcome.account, replayed });
  }

  /** Queues the command, or finds the one an earlier request with the same key queued. */
  private async send(
    principal: Principal,
    action: AccountAction,
    request: FreezeRequest,
  ): Promise<Result<{ commandId: string; replayed: boolean }>> {
    // A fresh id for every new request: a key reused after its retention is a new request, and a
    // command id derived from the key would make the ledger drop it as a duplicate.
    const commandId = commandIds.accountAction(request.accountId, action, this.system.newId());
    const now = this.system.now();
    const command = this.command(principal, action, request, commandId, now);
    if (request.idempotencyKey === null) {
      await this.store.queueCommand(command);
      await this.relay.flush();
      return succeeded({ commandId, replayed: false });
    }
    const fingerprint = requestFingerprint(action, {
      accountId: request.accountId,
      mode: request.mode,
      reason: request.reason,
    });
    const claim = await this.store.acceptAccountAction(
      {
        clientId: principal.clientId,
        idempotencyKey: request.idempotencyKey,
        operation: action,
        fingerprint,
        expiresAt: new Date(now.getTime() + this.idempotencyRetentionMs),
      },
      commandId,
      command,
    );
    if (!claim.claimed && claim.inFlight) return refused({ code: 'idempotency_key_in_flight' });
    if (!claim.claimed && claim.fingerprint !== fingerprint) {
      return refused({ code: 'idempotency_key_reused' });
    }
    if (!claim.claimed) return succeeded({ commandId: claim.resourceId, replayed: true });
    await this.relay.flush();
    return succeeded({ commandId, replayed: false });
  }

  private command(
    principal: Principal,
    action: AccountAction,
    request: FreezeRequest,
    commandId: string,
    now: Date,
  ): OutgoingCommand {
    return ledgerCommand({
      id: commandId,
      type: action === 'freeze' ? 'FreezeAccount' : 'UnfreezeAccount',
      accountId: request.accountId,
      correlationId: commandId,
      time: now,
      data: {
        accountId: request.accountId,
        mode: request.mode,
        reasonCode: request.reason,
        actor: principal.clientId,
      },
    });
  }
}
