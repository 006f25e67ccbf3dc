import { DataSource, EntityManager } from 'typeorm';
import {
  ClaimResult,
  ExceptionForAction,
  IdempotencyClaim,
  NewOperator,
  NewReviewAction,
  OperatorStore,
  OperatorView,
  OutgoingCommand,
  ReviewActionStore,
  RunRequestStore,
} from '@rtp/gateway/application';
import { ExceptionStatus } from '@rtp/gateway/application';
import { claimIdempotencyKey } from '../idempotency-claim';

const INSERT_OUTBOX = `INSERT INTO gateway.outbox (topic, message_key, message_id, message_type, payload, created_at)
  VALUES ($1, $2, $3, $4, $5, now()) ON CONFLICT (message_id) DO NOTHING`;

async function queueCommand(manager: EntityManager, command: OutgoingCommand): Promise<void> {
  await manager.query(INSERT_OUTBOX, [
    command.topic,
    command.key,
    command.messageId,
    command.messageType,
    JSON.stringify(command.payload),
  ]);
}

/**
 * The command side of operators and the review queue, on the primary: operators and their keys,
 * review actions with their commands (one transaction each), on-demand runs.
 */
export class ReviewCommandStore implements ReviewActionStore, OperatorStore, RunRequestStore {
  constructor(
    private readonly primary: DataSource,
    /** Told after a key was created here (every replica hears of it by notification too). */
    private readonly apiKeyCreated: (keyHash: string) => void = () => undefined,
  ) {}

  async createOperator(operator: NewOperator): Promise<boolean> {
    const created = await this.primary.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO gateway.clients (client_id, name, created_at) VALUES ($1, $2, now())
         ON CONFLICT (client_id) DO NOTHING RETURNING client_id`,
        [operator.clientId, operator.name],
      );
      if (inserted.length === 0) return false;
      await manager.query(
        `INSERT INTO gateway.operators (name, client_id, created_by, created_at)
         VALUES ($1, $2, $3, now())`,
        [operator.name, operator.clientId, operator.createdBy],
      );
      await manager.query(
        `INSERT INTO gateway.api_keys (key_hash, client_id, key_prefix, scopes, created_at)
         VALUES ($1, $2, $3, ARRAY['admin'], now())`,
        [operator.keyHash, operator.clientId, operator.keyPrefix],
      );
      return true;
    });
    if (created) this.apiKeyCreated(operator.keyHash);
    return created;
  }

  async listOperators(): Promise<OperatorView[]> {
    const rows: {
      name: string;
      key_prefix: string;
      created_by: string;
      created_at: Date;
      revoked_at: Date | null;
    }[] = await this.primary.query(
      `SELECT o.name, k.key_prefix, o.created_by, o.created_at, k.revoked_at
       FROM gateway.operators o JOIN gateway.api_keys k ON k.client_id = o.client_id
       ORDER BY o.created_at, o.name LIMIT 1000`,
    );
    return rows.map((row) => ({
      name: row.name,
      keyPrefix: row.key_prefix,
      createdBy: row.created_by,
      createdAt: row.created_at,
      revokedAt: row.revoked_at,
    }));
  }

  async revokeOperator(name: string): Promise<OperatorView | null> {
    await this.primary.query(
      `UPDATE gateway.api_keys SET revoked_at = now()
       WHERE client_id = (SELECT client_id FROM gateway.operators WHERE name = $1)
         AND revoked_at IS NULL`,
      [name],
    );
    const operators = await this.listOperators();
    return operators.find((operator) => operator.name === name) ?? null;
  }

  async findExceptionForAction(exceptionId: string): Promise<ExceptionForAction | null> {
    const rows: { partner_id: string; status: ExceptionStatus }[] = await this.primary.query(
      `SELECT partner_id, status FROM gateway.reconciliation_exceptions WHERE exception_id = $1`,
      [exceptionId],
    );
    if (rows.length === 0) return null;
    const proposals: {
      proposal_id: string;
      actor: string;
      status: 'pending' | 'approved' | 'declined';
    }[] = await this.primary.query(
      `SELECT proposal_id, actor, status FROM gateway.reconciliation_proposals
       WHERE exception_id = $1 ORDER BY proposed_at LIMIT 1000`,
      [exceptionId],
    );
    return {
      exceptionId,
      partnerId: rows[0].partner_id,
      status: rows[0].status,
      proposals: proposals.map((row) => ({
        proposalId: row.proposal_id,
        actor: row.actor,
        status: row.status,
      })),
    };
  }

  async queueReviewAction(
    action: NewReviewAction,
    command: OutgoingCommand,
    claim: IdempotencyClaim | null,
  ): Promise<ClaimResult> {
    return this.primary.transaction('READ COMMITTED', async (manager) => {
      if (claim) {
        const claimed = await claimIdempotencyKey(manager, claim, action.actionId);
        if (!claimed.claimed) return claimed;
      }
      await manager.query(
        `INSERT INTO gateway.reconciliation_actions (action_id, exception_id, kind, actor,
           proposal_id, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'sent', now(), now())`,
        [action.actionId, action.exceptionId, action.kind, action.actor, action.proposalId],
      );
      await queueCommand(manager, command);
      return { claimed: true };
    });
  }

  async queueCommands(commands: OutgoingCommand[]): Promise<void> {
    await this.primary.transaction(async (manager) => {
      for (const command of commands) await queueCommand(manager, command);
    });
  }
}
