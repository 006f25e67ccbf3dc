import { Principal, Result, operatorOf, succeeded } from '@rtp/gateway/domain';
import { IdsAndClock } from '../ports/ids-and-clock.port';
import { CommandRelay } from '../ports/outcome-notifications.port';
import { OutgoingCommand } from '../ports/outgoing-command';
import { reconciliationCommand } from '../ports/reconciliation-command';

export interface RunRequest {
  partnerId: string;
  /** The statement day, YYYY-MM-DD. */
  date: string;
  /** Ask the partner adapter to fetch the day's statement first (the default). */
  fetchStatement: boolean;
}

export interface RequestedRun extends RunRequest {
  requestId: string;
  requestedBy: string;
}

export interface RunRequestStore {
  /** Queues the commands in one transaction. */
  queueCommands(commands: OutgoingCommand[]): Promise<void>;
}

/**
 * An on-demand run: FetchStatement (the partner adapter fetches and publishes the day's
 * statement) then RunReconciliation, both on the partner's key so they arrive in this order. The
 * reconciler runs again when the statement is complete; re-running a day creates nothing new.
 */
export class RequestReconciliationRunHandler {
  constructor(
    private readonly store: RunRequestStore,
    private readonly relay: CommandRelay,
    private readonly system: IdsAndClock,
  ) {}

  async execute(principal: Principal, request: RunRequest): Promise<Result<RequestedRun>> {
    const requestedBy = operatorOf(principal) ?? principal.clientId;
    const requestId = this.system.newId();
    const time = this.system.now();
    const { partnerId, date } = request;
    const data = { requestId, partnerId, date, requestedBy };
    const commands: OutgoingCommand[] = [];
    if (request.fetchStatement) {
      commands.push(
        reconciliationCommand({
          id: `${requestId}:fetch`,
          partnerId,
          time,
          message: { type: 'FetchStatement', data },
        }),
      );
    }
    commands.push(
      reconciliationCommand({
        id: `${requestId}:run`,
        partnerId,
        time,
        message: { type: 'RunReconciliation', data },
      }),
    );
    await this.store.queueCommands(commands);
    await this.relay.flush();
    return succeeded({ ...request, requestId, requestedBy });
  }
}
