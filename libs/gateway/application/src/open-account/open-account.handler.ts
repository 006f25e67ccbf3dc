import { commandIds } from '@rtp/contracts';
import { Principal, Result, succeeded } from '@rtp/gateway/domain';
import { awaitSettled } from '../await-settled';
import { IdsAndClock } from '../ports/ids-and-clock.port';
import { CommandRelay, OutcomeNotifications } from '../ports/outcome-notifications.port';
import { ledgerCommand } from '../ports/outgoing-command';
import { AccountView } from '../ports/views';
import { OpenAccountStore } from './open-account.port';

export interface OpenAccountRequest {
  currency: string;
  name: string | null;
  metadata: Record<string, string> | null;
  /** Whether other clients may pay into the account; false unless the owner asks. */
  acceptsCreditsFromOtherClients: boolean;
}

export class OpenAccountHandler {
  constructor(
    private readonly store: OpenAccountStore,
    private readonly relay: CommandRelay,
    private readonly notifications: OutcomeNotifications,
    private readonly system: IdsAndClock,
  ) {}

  /** Queues OpenAccount and waits up to `waitMs` for the ledger to confirm it. */
  async execute(
    principal: Principal,
    request: OpenAccountRequest,
    waitMs: number,
  ): Promise<Result<AccountView>> {
    const accountId = this.system.newId();
    const now = this.system.now();
    const account: AccountView = {
      id: accountId,
      clientId: principal.clientId,
      currency: request.currency,
      name: request.name,
      metadata: request.metadata,
      status: 'opening',
      freeze: 'none',
      acceptsCreditsFromOtherClients: request.acceptsCreditsFromOtherClients,
      failureCode: null,
      postedMinor: '0',
      pendingMinor: '0',
      lastSequence: 0,
      createdAt: now,
    };
    const data = {
      accountId,
      currency: request.currency,
      ownerId: principal.clientId,
      name: request.name,
      metadata: request.metadata,
    };
    const commandId = commandIds.openAccount(accountId);
    await this.store.openAccount(
      account,
      ledgerCommand({
        id: commandId,
        type: 'OpenAccount',
        accountId,
        correlationId: accountId,
        time: now,
        data,
      }),
    );
    await this.relay.flush();
    const latest = await awaitSettled(
      this.notifications,
      accountId,
      waitMs,
      () => this.store.findAccount(accountId),
      (found) => found?.status !== 'opening',
    );
    return succeeded(latest ?? account);
  }
}
