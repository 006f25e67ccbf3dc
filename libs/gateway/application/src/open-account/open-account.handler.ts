import { IdsAndClock } from '../ports/ids-and-clock.port';
import { commandIds } from '@rtp/contracts';
import { Principal } from '@rtp/gateway/domain';
import {
  AccountView,
  CommandRelay,
  GatewayStore,
  OutcomeNotifications,
} from '../ports/gateway-store.port';
import { ledgerCommand } from '../ports/outgoing-command';

export interface OpenAccountRequest {
  currency: string;
  name: string | null;
  metadata: Record<string, string> | null;
  /** Whether other clients may pay into the account; false unless the owner asks. */
  acceptsCreditsFromOtherClients: boolean;
}

export class OpenAccountHandler {
  constructor(
    private readonly store: GatewayStore,
    private readonly relay: CommandRelay,
    private readonly notifications: OutcomeNotifications,
    private readonly system: IdsAndClock,
  ) {}

  /** Queues OpenAccount and waits up to `waitMs` for the ledger to confirm it. */
  async execute(
    principal: Principal,
    request: OpenAccountRequest,
    waitMs: number,
  ): Promise<AccountView> {
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
    // The wait's last look at the read model is the answer; only a wait that never looked reads again.
    let looked = false;
    let latest: AccountView | null = null;
    const settled = async () => {
      looked = true;
      latest = await this.store.findAccount(accountId);
      return latest?.status !== 'opening';
    };
    const watch = this.notifications.watch(accountId);
    try {
      await watch.wait(waitMs, settled, { lookFirst: true });
    } finally {
      watch.close();
    }
    return (looked ? latest : await this.store.findAccount(accountId)) ?? account;
  }
}
