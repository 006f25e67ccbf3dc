import { DataSource } from 'typeorm';
import { Principal, Scope } from '@rtp/gateway/domain';
import {
  AccountView,
  ClaimResult,
  GatewayStore,
  IdempotencyClaim,
  OutgoingCommand,
  PaymentView,
} from '@rtp/gateway/application';

interface AccountRow {
  account_id: string; client_id: string; currency: string; name: string | null;
  metadata: Record<string, string> | null; status: AccountView['status']; failure_code: string | null;
  posted_minor: string; pending_minor: string; created_at: Date; freeze_mode: AccountView['freeze'];
  last_sequence: string;
}

interface PaymentRow {
  payment_id: string; kind: PaymentView['kind']; client_id: string; source_account_id: string | null;
  destination_account_id: string; amount_minor: string; currency: string; status: PaymentView['status'];
  failure_code: string | null; reference: string | null; metadata: Record<string, string> | null;
  created_at: Date; updated_at: Date;
}

const toAccount = (row: AccountRow): AccountView => ({
  id: row.account_id, clientId: row.client_id, currency: row.currency, name: row.name,
  metadata: row.metadata, status: row.status, failureCode: row.failure_code,
  postedMinor: String(row.posted_minor), pendingMinor: String(row.pending_minor), createdAt: row.created_at,
  freeze: row.freeze_mode, lastSequence: Number(row.last_sequence),
});

const toPayment = (row: PaymentRow): PaymentView => ({
  id: row.payment_id, kind: row.kind, clientId: row.client_id, sourceAccountId: row.source_account_id,
  destinationAccountId: row.destination_account_id, amountMinor: String(row.amount_minor),
  currency: row.currency, status: row.status, failureCode: row.failure_code, reference: row.reference,
  metadata: row.metadata, createdAt: row.created_at, updatedAt: row.updated_at,
});

const INSERT_OUTBOX = `INSERT INTO gateway.outbox (topic, message_key, message_id, message_type, payload, created_at)
  VALUES ($1, $2, $3, $4, $5, now()) ON CONFLICT (message_id) DO NOTHING`;

function outboxParams(command: OutgoingCommand): unknown[] {
  return [command.topic, command.key, command.messageId, command.messageType, JSON.stringify(command.payload)];
}

/**
 * Writes go to the primary; read-model reads go to `reader`, which is a read replica when one is
 * configured. Reads that decide a write (ownership, idempotency) use the primary.
 */
export class PostgresGatewayStore implements GatewayStore {
  constructor(
    private readonly primary: DataSource,
    private readonly reader: DataSource,
  ) {}

  async findPrincipalByKeyHash(keyHash: string): Promise<Principal | null> {
    const rows: { client_id: string; scopes: Scope[] }[] = await this.primary.query(
      'SELECT client_id, scopes FROM gateway.api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
      [keyHash],
    );
    return rows.length === 0 ? null : { clientId: rows[0].client_id, scopes: rows[0].scopes };
  }

  async createClient(input: { clientId: string; name: string; keyHash: string; keyPrefix: string }): Promise<void> {
    await this.primary.transaction(async (manager) => {
      await manager.query('INSERT INTO gateway.clients (client_id, name, created_at) VALUES ($1, $2, now())',
        [input.clientId, input.name]);
      await manager.query(
        `INSERT INTO gateway.api_keys (key_hash, client_id, key_prefix, scopes, created_at)
         VALUES ($1, $2, $3, ARRAY['payments'], now())`,
        [input.keyHash, input.clientId, input.keyPrefix],
      );
    });
  }

  async findAccount(accountId: string): Promise<AccountView | null> {
    const rows: AccountRow[] = await this.primary.query(
      'SELECT * FROM gateway.accounts WHERE account_id = $1', [accountId]);
    return rows.length === 0 ? null : toAccount(rows[0]);
  }

  async readAccount(accountId: string): Promise<AccountView | null> {
    const rows: AccountRow[] = await this.reader.query(
      'SELECT * FROM gateway.accounts WHERE account_id = $1', [accountId]);
    return rows.length === 0 ? null : toAccount(rows[0]);
  }

  async findPayment(paymentId: string): Promise<PaymentView | null> {
    const rows: PaymentRow[] = await this.primary.query(
      'SELECT * FROM gateway.payments WHERE payment_id = $1', [paymentId]);
    return rows.length === 0 ? null : toPayment(rows[0]);
  }

  async readPayment(paymentId: string): Promise<PaymentView | null> {
    const rows: PaymentRow[] = await this.reader.query(
      'SELECT * FROM gateway.payments WHERE payment_id = $1', [paymentId]);
    return rows.length === 0 ? null : toPayment(rows[0]);
  }

  /** Forgets idempotency keys past their retention; an expired key may then be used afresh. */
  async deleteExpiredIdempotencyKeys(): Promise<number> {
    const result = await this.primary.query(
      'DELETE FROM gateway.idempotency_keys WHERE expires_at < now()');
    return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
  }

  async queueCommand(command: OutgoingCommand): Promise<void> {
    await this.primary.query(INSERT_OUTBOX, outboxParams(command));
  }

  async openAccount(account: AccountView, command: OutgoingCommand): Promise<void> {
    await this.primary.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO gateway.accounts (account_id, client_id, currency, name, metadata, status, created_at,
           updated_at) VALUES ($1, $2, $3, $4, $5, 'opening', $6, $6)`,
        [account.id, account.clientId, account.currency, account.name,
          account.metadata === null ? null : JSON.stringify(account.metadata), account.createdAt],
      );
      await manager.query(INSERT_OUTBOX, outboxParams(command));
    });
  }

  async acceptPayment(claim: IdempotencyClaim, payment: PaymentView, command: OutgoingCommand): Promise<ClaimResult> {
    return this.primary.transaction('READ COMMITTED', async (manager) => {
      // A second request with the same key while the first is inside this transaction gets 409 at once
      // instead of queueing on the key's row; once the first has committed, it is replayed.
      const [{ locked }] = await manager.query(
        'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked',
        [`idempotency:${claim.clientId}:${claim.idempotencyKey}`],
      );
      if (!locked) return { claimed: false, inFlight: true };
      const claimed: unknown[] = await manager.query(
        `INSERT INTO gateway.idempotency_keys (client_id, idempotency_key, operation, fingerprint, resource_id,
           created_at, expires_at) VALUES ($1, $2, $3, $4, $5, now(), $6)
         ON CONFLICT (client_id, idempotency_key) DO UPDATE SET operation = EXCLUDED.operation,
           fingerprint = EXCLUDED.fingerprint, resource_id = EXCLUDED.resource_id,
           created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
           WHERE gateway.idempotency_keys.expires_at < now()
         RETURNING resource_id`,
        [claim.clientId, claim.idempotencyKey, claim.operation, claim.fingerprint, payment.id, claim.expiresAt],
      );
      if (claimed.length === 0) {
        const existing: { fingerprint: string; resource_id: string }[] = await manager.query(
          `SELECT fingerprint, resource_id FROM gateway.idempotency_keys
           WHERE client_id = $1 AND idempotency_key = $2`,
          [claim.clientId, claim.idempotencyKey],
        );
        return { claimed: false, inFlight: false, fingerprint: existing[0].fingerprint,
          resourceId: existing[0].resource_id };
      }
      await manager.query(
        `INSERT INTO gateway.payments (payment_id, kind, client_id, source_account_id, destination_account_id,
           amount_minor, currency, status, reference, metadata, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'processing', $8, $9, $10, $10)`,
        [payment.id, payment.kind, payment.clientId, payment.sourceAccountId, payment.destinationAccountId,
          payment.amountMinor, payment.currency, payment.reference,
          payment.metadata === null ? null : JSON.stringify(payment.metadata), payment.createdAt],
      );
      await manager.query(INSERT_OUTBOX, outboxParams(command));
      return { claimed: true };
    });
  }
}
