import { randomUUID } from 'node:crypto';
import { FreezeMode, commandIds } from '@rtp/contracts';
import { GatewayProblemError, Principal, problems } from '@rtp/gateway/domain';
import { AccountView, CommandRelay, GatewayStore, OutcomeNotifications } from '../ports/gateway-store.port';
import { ledgerCommand } from '../ports/outgoing-command';

export interface FreezeRequest {
  accountId: string;
  mode: FreezeMode;
  reason: string;
  /** The caller's Idempotency-Key when given, so a retried request applies once. */
  requestId: string | null;
}

/** Freezes or unfreezes an account's debits, credits or both (admin), waiting for the ledger. */
export class FreezeAccountHandler {
  constructor(
    private readonly store: GatewayStore,
    private readonly relay: CommandRelay,
    private readonly notifications: OutcomeNotifications,
  ) {}

  async execute(principal: Principal, action: 'freeze' | 'unfreeze', request: FreezeRequest, waitMs: number):
    Promise<AccountView> {
    const before = await this.store.findAccount(request.accountId);
    if (!before || before.status === 'opening' || before.status === 'rejected') {
      throw new GatewayProblemError(problems.accountNotFound(request.accountId));
    }
    const type = action === 'freeze' ? 'FreezeAccount' : 'UnfreezeAccount';
    const id = commandIds.accountAction(request.accountId, action, request.requestId ?? randomUUID());
    await this.store.queueCommand(ledgerCommand({
      id, type, accountId: request.accountId, correlationId: id, time: new Date(),
      data: { accountId: request.accountId, mode: request.mode, reasonCode: request.reason, actor: principal.clientId },
    }));
    await this.relay.flush();
    const settled = async () => ((await this.store.findAccount(request.accountId))?.lastSequence ?? 0) >
      before.lastSequence;
    await this.notifications.waitForChange(request.accountId, waitMs, settled);
    return (await this.store.findAccount(request.accountId)) ?? before;
  }
}
