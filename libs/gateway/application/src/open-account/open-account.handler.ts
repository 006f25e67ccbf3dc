import { commandIds } from '@rtp/contracts';
import { Principal, Result, succeeded, virtualIbanOf } from '@rtp/gateway/domain';
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

/** Fresh account ids tried when a virtual IBAN is taken (ten digits: a collision is rare). */
const OPEN_ATTEMPTS_MAX = 5;

export class OpenAccountHandler {
  constructor(
    private readonly store: OpenAccountStore,
    private readonly relay: CommandRelay,
    private readonly notifications: OutcomeNotifications,
    private readonly system: IdsAndClock,
    /** The sandbox bank's bank code, for the accounts' virtual IBANs (VIRTUAL_IBAN_BANK_CODE). */
    private readonly virtualIbanBankCode: string,
  ) {}

  /** Queues OpenAccount and waits up to `waitMs` for the ledger to confirm it. */
  async execute(
    principal: Principal,
    request: OpenAccountRequest,
    waitMs: number,
  ): Promise<Result<AccountView>> {
    for (let attempt = 1; ; attempt += 1) {
      const account = await this.tryOpen(principal, request);
      if (account) return succeeded(await this.settled(account, waitMs));
      if (attempt >= OPEN_ATTEMPTS_MAX) {
        throw new Error(`no free virtual IBAN after ${attempt} account ids`);
      }
    }
  }

  /** Stores the account and queues its opening, unless its virtual IBAN is taken (then null). */
  private async tryOpen(
    principal: Principal,
    request: OpenAccountRequest,
  ): Promise<AccountView | null> {
    const accountId = this.system.newId();
    const virtualIban = virtualIbanOf(accountId, this.virtualIbanBankCode);
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
      virtualIban,
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
      virtualIban,
    };
    const commandId = commandIds.openAccount(accountId);
    const opened = await this.store.openAccount(
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
    return opened === 'opened' ? account : null;
  }

  private async settled(account: AccountView, waitMs: number): Promise<AccountView> {
    await this.relay.flush();
    const latest = await awaitSettled(
      this.notifications,
      account.id,
      waitMs,
      () => this.store.findAccount(account.id),
      (found) => found?.status !== 'opening',
    );
    return latest ?? account;
  }
}
