import { DataSource } from 'typeorm';
import { Principal, Scope } from '@rtp/gateway/domain';
import {
  AccountActionOutcome,
  AccountActionStore,
  AccountSettingsStore,
  AccountView,
  ClaimResult,
  ClientStore,
  IdempotencyClaim,
  NewClient,
  OpenAccountStore,
  OutgoingCommand,
  PaymentRecord,
  PaymentStore,
  PrincipalsByKeyHash,
} from '@rtp/gateway/application';
import {
  ActionOutcomeRow,
  SAVE_SETTINGS,
  UPSERT_SETTINGS,
  readAccountRow,
  readPaymentRow,
} from './gateway-rows';
import { ACCOUNT_SETTINGS_CHANNEL } from './account-facts/account-facts.cache';
import { claimIdempotencyKey } from './idempotency-claim';

const INSERT_OUTBOX = `INSERT INTO gateway.outbox (topic, message_key, message_id, message_type, payload, created_at)
  VALUES ($1, $2, $3, $4, $5, now()) ON CONFLICT (message_id) DO NOTHING`;

function outboxParams(command: OutgoingCommand): unknown[] {
  return [
    command.topic,
    command.key,
    command.messageId,
    command.messageType,
    JSON.stringify(command.payload),
  ];
}

/**
 * The command side's store, on the primary: writes, and the reads that decide a write (ownership,
 * idempotency) or answer one. The queries read the read models apart (GatewayReadModels).
 */
export class PostgresGatewayStore
  implements
    PrincipalsByKeyHash,
    ClientStore,
    OpenAccountStore,
    AccountSettingsStore,
    AccountActionStore,
    PaymentStore
{
  constructor(
    private readonly primary: DataSource,
    /** Told after an owner's settings changed here (other replicas hear of it by notification). */
    private readonly settingsSaved: (accountId: string) => void = () => undefined,
    /** Told after a key was created here (every replica hears of it by notification too). */
    private readonly apiKeyCreated: (keyHash: string) => void = () => undefined,
  ) {}

  async findPrincipalByKeyHash(keyHash: string): Promise<Principal | null> {
    const rows: { client_id: string; scopes: Scope[] }[] = await this.primary.query(
      'SELECT client_id, scopes FROM gateway.api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
      [keyHash],
    );
    return rows.length === 0 ? null : { clientId: rows[0].client_id, scopes: rows[0].scopes };
  }

  async createClient(input: NewClient): Promise<void> {
    await this.primary.transaction(async (manager) => {
      await manager.query(
        'INSERT INTO gateway.clients (client_id, name, created_at) VALUES ($1, $2, now())',
        [input.clientId, input.name],
      );
      await manager.query(
        `INSERT INTO gateway.api_keys (key_hash, client_id, key_prefix, scopes, created_at)
         VALUES ($1, $2, $3, ARRAY['payments'], now())`,
        [input.keyHash, input.clientId, input.keyPrefix],
      );
    });
    this.apiKeyCreated(input.keyHash);
  }

  async findAccount(accountId: string): Promise<AccountView | null> {
    return readAccountRow(this.primary, accountId);
  }

  async findPayment(paymentId: string): Promise<PaymentRecord | null> {
    return readPaymentRow(this.primary, paymentId);
  }

  /** Forgets idempotency keys past their retention; an expired key may then be used afresh. */
  async deleteExpiredIdempotencyKeys(): Promise<number> {
    const result = await this.primary.query(
      'DELETE FROM gateway.idempotency_keys WHERE expires_at < now()',
    );
    return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
  }

  async queueCommand(command: OutgoingCommand): Promise<void> {
    await this.primary.query(INSERT_OUTBOX, outboxParams(command));
  }

  async openAccount(
    account: AccountView,
    command: OutgoingCommand,
  ): Promise<'opened' | 'virtual_iban_taken'> {
    return this.primary.transaction(async (manager) => {
      // A virtual IBAN another account holds: nothing is inserted, and the caller tries another id.
      const inserted: unknown[] = await manager.query(
        `INSERT INTO gateway.accounts (account_id, client_id, currency, name, metadata, status, created_at,
           updated_at, virtual_iban) VALUES ($1, $2, $3, $4, $5, 'opening', $6, $6, $7)
         ON CONFLICT (virtual_iban) DO NOTHING RETURNING account_id`,
        [
          account.id,
          account.clientId,
          account.currency,
          account.name,
          account.metadata === null ? null : JSON.stringify(account.metadata),
          account.createdAt,
          account.virtualIban ?? null,
        ],
      );
      if (inserted.length === 0) return 'virtual_iban_taken';
      await manager.query(UPSERT_SETTINGS, [
        account.id,
        account.clientId,
        account.acceptsCreditsFromOtherClients,
        account.createdAt,
        account.clientId,
      ]);
      await manager.query(INSERT_OUTBOX, outboxParams(command));
      return 'opened';
    });
  }

  async saveAccountSettings(settings: {
    accountId: string;
    clientId: string;
    acceptsCreditsFromOtherClients: boolean;
    updatedBy: string;
    updatedAt: Date;
  }): Promise<void> {
    await this.primary.query(SAVE_SETTINGS, [
      settings.accountId,
      settings.clientId,
      settings.acceptsCreditsFromOtherClients,
      settings.updatedAt,
      settings.updatedBy,
      ACCOUNT_SETTINGS_CHANNEL,
    ]);
    this.settingsSaved(settings.accountId);
  }

  async acceptAccountAction(
    claim: IdempotencyClaim,
    commandId: string,
    command: OutgoingCommand,
  ): Promise<ClaimResult> {
    return this.primary.transaction('READ COMMITTED', async (manager) => {
      const result = await claimIdempotencyKey(manager, claim, commandId);
      if (result.claimed) await manager.query(INSERT_OUTBOX, outboxParams(command));
      return result;
    });
  }

  /** The outcome of a freeze or unfreeze, with the account's state as that command left it. */
  async findActionOutcome(commandId: string): Promise<AccountActionOutcome | null> {
    const rows: ActionOutcomeRow[] = await this.primary.query(
      `SELECT account_id, failure_code, status, freeze_mode, posted_minor::text,
         pending_minor::text, last_sequence::text
       FROM gateway.account_action_outcomes WHERE command_id = $1`,
      [commandId],
    );
    if (rows.length === 0) return null;
    const [outcome] = rows;
    const account =
      outcome.failure_code === null ? await this.findAccount(outcome.account_id) : null;
    return {
      failureCode: outcome.failure_code,
      account: account && {
        ...account,
        status: outcome.status,
        freeze: outcome.freeze_mode,
        postedMinor: outcome.posted_minor,
        pendingMinor: outcome.pending_minor,
        lastSequence: Number(outcome.last_sequence),
      },
    };
  }
}
