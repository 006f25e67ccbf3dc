import { EntityManager } from 'typeorm';
import { Webhook } from 'standardwebhooks';
import { BankWebhook, bankWebhookSchema } from '@rtp/contracts';
import {
  CreditRoutingRules,
  DecisionSettings,
  OutgoingMessage,
  creditMessages,
  routeCredit,
  statusTimes,
} from '@rtp/partner-adapter/application';
import { applyBankStatus } from '@rtp/partner-adapter/domain';
import { adapterMetrics } from '../adapter-metrics';
import { PayoutStore } from '../store/payout-store';

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
  problem: boolean;
  retryAfterSeconds?: number;
}

/** A credit for a virtual IBAN not in the map yet: nothing is recorded, the bank redelivers. */
class CreditWaits extends Error {}

const WAIT_RETRY_AFTER_SECONDS = 2;

const problem = (status: number, code: string, title: string, detail: string): WebhookAnswer => ({
  status,
  problem: true,
  body: { type: `https://rtp.example/problems/${code}`, title, status, code, detail },
});

type Write = (messages: OutgoingMessage[]) => Promise<void>;

/**
 * `POST /webhooks/bank`: verified per Standard Webhooks (signature and timestamp tolerance), each
 * webhook-id handled once (durable receipts), then applied in the same transaction: a credit is
 * deposited once by the bank's transaction id, a transfer's status applies to its payout once.
 */
export class WebhookReceiver {
  private readonly verifier: Webhook;

  constructor(
    private readonly store: PayoutStore,
    secret: string,
    private readonly partnerId: string,
    private readonly settings: DecisionSettings,
    private readonly creditRouting: CreditRoutingRules,
  ) {
    this.verifier = new Webhook(secret);
  }

  async receive(
    raw: string,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<WebhookAnswer> {
    const count = (result: string) =>
      adapterMetrics.webhookVerifications.inc({ partner: this.partnerId, result });
    const flat: Record<string, string> = {};
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const value = headers[name];
      flat[name] = Array.isArray(value) ? value[0] : (value ?? '');
    }
    let payload: unknown;
    try {
      payload = this.verifier.verify(raw, flat);
    } catch (error) {
      count('invalid_signature');
      return problem(
        401,
        'webhook_signature_invalid',
        'Webhook not verified',
        (error as Error).message,
      );
    }
    const parsed = bankWebhookSchema.safeParse(payload);
    if (!parsed.success) {
      count('invalid_payload');
      return problem(
        400,
        'webhook_payload_invalid',
        'Webhook payload invalid',
        'not a known bank event',
      );
    }
    let fresh: boolean;
    try {
      fresh = await this.store.commit(async (manager, write) => {
        const [receipt] = await manager.query(
          `INSERT INTO partner_adapter.webhook_receipts (webhook_id, event_type, received_at)
           VALUES ($1, $2, now()) ON CONFLICT (webhook_id) DO NOTHING RETURNING webhook_id`,
          [flat['webhook-id'], parsed.data.type],
        );
        if (!receipt) return false;
        await this.apply(manager, write, parsed.data);
        return true;
      });
    } catch (error) {
      if (!(error instanceof CreditWaits)) throw error;
      count('waiting_for_account');
      adapterMetrics.creditsWaiting.inc({ partner: this.partnerId });
      return {
        ...problem(
          503,
          'account_not_known_yet',
          'Account not known yet',
          'the IBAN is of our accounts but its opening has not reached the adapter; redeliver',
        ),
        retryAfterSeconds: WAIT_RETRY_AFTER_SECONDS,
      };
    }
    count(fresh ? 'valid' : 'replay');
    return { status: 200, problem: false, body: { received: true, duplicate: !fresh } };
  }

  private async apply(manager: EntityManager, write: Write, event: BankWebhook): Promise<void> {
    if (event.type === 'transfer.updated') {
      const transfer = event.data;
      await this.store.decideOn(manager, write, { endToEndId: transfer.endToEndId }, (current) =>
        applyBankStatus(current, transfer, statusTimes(this.settings, new Date(), current.checks)),
      );
      return;
    }
    const credit = event.data;
    const [ibanRow] = await manager.query(
      `SELECT account_id FROM partner_adapter.virtual_ibans WHERE iban = $1 AND currency = $2`,
      [credit.creditorIban, credit.currency],
    );
    const accountId: string | null = ibanRow ? String(ibanRow.account_id) : null;
    const route = routeCredit(credit, accountId !== null, new Date(), this.creditRouting);
    if (route === 'wait') {
      // Unless this transaction id was booked already (then the redelivery is a no-op anyway).
      const [known] = await manager.query(
        `SELECT 1 FROM partner_adapter.deposits WHERE bank_transaction_id = $1`,
        [credit.transactionId],
      );
      if (!known) throw new CreditWaits();
    }
    const suspense = accountId === null;
    const messages = creditMessages(credit, accountId, this.partnerId, new Date());
    const [inserted] = await manager.query(
      `INSERT INTO partner_adapter.deposits (bank_transaction_id, partner_id, account_id, creditor_iban,
         amount_minor, currency, suspense, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now()) ON CONFLICT (bank_transaction_id) DO NOTHING
       RETURNING bank_transaction_id`,
      [
        credit.transactionId,
        this.partnerId,
        messages[suspense ? 1 : 0].key,
        credit.creditorIban,
        credit.amountMinor,
        credit.currency,
        suspense,
      ],
    );
    if (!inserted) return;
    await write(messages);
    adapterMetrics.deposits.inc({
      partner: this.partnerId,
      destination: suspense ? 'suspense' : 'account',
    });
  }
}
