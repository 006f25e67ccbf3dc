import { IdsAndClock } from '../ports/ids-and-clock.port';
import { FreezeMode, commandIds } from '@rtp/contracts';
import { GatewayProblemError, Principal, problems, requestFingerprint } from '@rtp/gateway/domain';
import {
  AccountView,
  ClaimResult,
  CommandRelay,
  IdempotencyClaim,
  OutcomeNotifications,
  OutgoingCommand,
} from '../ports/gateway-store.port';
import { ledgerCommand } from '../ports/outgoing-command';

export interface FreezeRequest {
  accountId: string;
  mode: FreezeMode;
  reason: string;
  /** The caller's Idempotency-Key, if any: the same key and request is then answered by replay. */
  idempotencyKey: string | null;
}

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

type Action = 'freeze' | 'unfreeze';

export type FreezeResult = { replayed: boolean } & (
  | { state: 'applied' | 'pending'; account: AccountView }
  | { state: 'rejected'; failureCode: string }
);

/**
 * Freezes or unfreezes an account's debits, credits or both (admin) and waits for the ledger's
 * outcome of this very command (not for any change of the account, which a payment also makes).
 * With an Idempotency-Key it follows the payments' rules: the same key and request answers the
 * original outcome, marked as a replay, and sends nothing; the key with another request is a 422.
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
    action: Action,
    request: FreezeRequest,
    waitMs: number,
  ): Promise<FreezeResult> {
    const before = await this.store.findAccount(request.accountId);
    if (!before || before.status === 'opening' || before.status === 'rejected') {
      throw new GatewayProblemError(problems.accountNotFound(request.accountId));
    }
    const { commandId, replayed } = await this.send(principal, action, request);
    // The wait's last look at the read model is the answer; only a wait that never looked reads again.
    let looked = false;
    let latest: AccountActionOutcome | null = null;
    const settled = async () => {
      looked = true;
      latest = await this.store.findActionOutcome(commandId);
      return latest !== null;
    };
    const watch = this.notifications.watch(commandId);
    try {
      await watch.wait(waitMs, settled, { lookFirst: true });
    } finally {
      watch.close();
    }
    const outcome = looked ? latest : await this.store.findActionOutcome(commandId);
    if (!outcome) {
      const account = (await this.store.findAccount(request.accountId)) ?? before;
      return { state: 'pending', account, replayed };
    }
    if (outcome.failureCode !== null || !outcome.account) {
      const failureCode = outcome.failureCode ?? 'account_not_found';
      return { state: 'rejected', failureCode, replayed };
    }
    return { state: 'applied', account: outcome.account, replayed };
  }

  /** Queues the command, or finds the one an earlier request with the same key queued. */
  private async send(
    principal: Principal,
    action: Action,
    request: FreezeRequest,
  ): Promise<{ commandId: string; replayed: boolean }> {
    // A fresh id for every new request: a key reused after its retention is a new request, and a
    // command id derived from the key would make the ledger drop it as a duplicate.
    const commandId = commandIds.accountAction(request.accountId, action, this.system.newId());
    const now = this.system.now();
    const command = ledgerCommand({
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
    if (request.idempotencyKey === null) {
      await this.store.queueCommand(command);
      await this.relay.flush();
      return { commandId, replayed: false };
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
    if (!claim.claimed && claim.inFlight) {
      throw new GatewayProblemError(problems.idempotencyKeyInFlight());
    }
    if (!claim.claimed && claim.fingerprint !== fingerprint) {
      throw new GatewayProblemError(problems.idempotencyKeyReused());
    }
    if (!claim.claimed) return { commandId: claim.resourceId, replayed: true };
    await this.relay.flush();
    return { commandId, replayed: false };
  }
}
