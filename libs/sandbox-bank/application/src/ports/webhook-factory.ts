import type { BankWebhook } from '@rtp/contracts';
import { decideWebhookFault, randomFor } from '@rtp/sandbox-bank/domain';
import type { FaultSource, IdsAndClock, NewWebhook, TransferRecord } from './bank-records';
import { toBankTransfer } from './bank-records';

/**
 * Builds the outbox rows of webhooks, with their injected faults decided once, when the event
 * happens (from the seed and the webhook's id), so a restart does not change them.
 */
export class WebhookFactory {
  constructor(
    private readonly faults: FaultSource,
    private readonly system: IdsAndClock,
    /** No target configured: nothing is queued. */
    private readonly enabled: boolean,
  ) {}

  private build(event: BankWebhook, now: Date): NewWebhook | null {
    if (!this.enabled) return null;
    const webhookId = this.system.newId('msg');
    const fault = decideWebhookFault(
      this.faults.current().webhooks,
      randomFor(this.faults.seed, 'webhook', webhookId),
    );
    if (fault.duplicate) this.faults.record('webhook_duplicate');
    if (fault.kind !== 'none') this.faults.record(`webhook_${fault.kind}`);
    return {
      webhookId,
      event,
      holdUntil: new Date(now.getTime() + fault.holdMs),
      duplicate: fault.duplicate,
    };
  }

  transferUpdated(transfer: TransferRecord, now: Date): NewWebhook | null {
    return this.build(
      { type: 'transfer.updated', timestamp: now.toISOString(), data: toBankTransfer(transfer) },
      now,
    );
  }

  creditBooked(data: Extract<BankWebhook, { type: 'credit.booked' }>['data'], now: Date) {
    return this.build({ type: 'credit.booked', timestamp: now.toISOString(), data }, now);
  }
}
