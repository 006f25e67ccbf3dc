import { DataSource, EntityManager } from 'typeorm';
import { rowsQueryOf } from '@rtp/shared/database';
import {
  DecisionSettings,
  OutgoingMessage,
  beginSubmission,
  escalateQueued,
  payoutMessages,
} from '@rtp/partner-adapter/application';
import { CallOutcome, Payout, PayoutChange, outcomeLabel } from '@rtp/partner-adapter/domain';
import { adapterMetrics } from '../adapter-metrics';
import { AdapterOutbox, CommittedMessage, writeOutbox } from './adapter-outbox';
import {
  PAYOUT_COLUMNS,
  finishAttempt,
  lockPayout,
  payoutOf,
  startAttempt,
  writePayoutChange,
} from './payout-rows';

export interface ClaimedCall {
  payout: Payout;
  attemptId: string;
}

export type Decide = (
  current: Payout,
) => (PayoutChange & { submissions?: number; nextSendAt?: Date }) | null;

/**
 * The adapter's payouts in PostgreSQL. Every change of a payout is decided on the row as locked
 * in its transaction and written with its outbox messages; they are published after the commit.
 * An adapter sends, checks, escalates and lists only its own partner's payouts: adapters of
 * several partners may share the schema, and a payout sent to another partner's bank (under that
 * bank's settlement account) is money moved by the wrong bank.
 */
export class PayoutStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: AdapterOutbox,
    private readonly onPublishError: (error: unknown) => void,
    private readonly partnerId: string,
  ) {}

  /** Runs `work` in a transaction and publishes the outbox rows it wrote once it committed. */
  async commit<T>(
    work: (
      manager: EntityManager,
      write: (messages: OutgoingMessage[]) => Promise<void>,
    ) => Promise<T>,
  ): Promise<T> {
    const committed: CommittedMessage[] = [];
    const at = new Date();
    const result = await this.dataSource.transaction(async (manager) =>
      work(manager, async (messages) => {
        committed.push(...(await writeOutbox(manager, messages, at)));
      }),
    );
    if (committed.length > 0) this.outbox.publish(committed).catch(this.onPublishError);
    return result;
  }

  /**
   * The next payouts to send, in reservation order, at most one per account and only after the
   * account's earlier payouts left the queue; each is marked `submitting` with its attempt.
   */
  async claimForSending(limit: number, settings: DecisionSettings): Promise<ClaimedCall[]> {
    return this.commit(async (manager, write) => {
      const rows: Record<string, unknown>[] = await manager.query(
        `SELECT ${PAYOUT_COLUMNS} FROM partner_adapter.payouts p
         WHERE p.partner_id = $2 AND p.state = 'queued' AND p.next_send_at <= now()
           AND NOT EXISTS (SELECT 1 FROM partner_adapter.payouts q WHERE q.account_id = p.account_id
             AND q.partner_id = p.partner_id AND q.seq < p.seq
             AND q.state IN ('queued', 'submitting'))
         ORDER BY p.seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit, this.partnerId],
      );
      const now = new Date();
      const claimed: ClaimedCall[] = [];
      for (const payout of rows.map(payoutOf)) {
        const change = beginSubmission(payout, now, settings);
        await writePayoutChange(manager, payout.paymentId, change, now);
        await write(
          payoutMessages(
            change.effects,
            payout.accountId,
            payout.paymentId,
            now,
            payout.traceparent,
          ),
        );
        const attemptId = await startAttempt(manager, payout.paymentId, 'create', now);
        claimed.push({ payout: { ...payout, ...change }, attemptId });
        adapterMetrics.payoutTransitions.inc({ partner: payout.partnerId, state: 'submitting' });
      }
      return claimed;
    });
  }

  /** Payouts due for a status query; their next check moves by `leaseMs` while it runs. */
  async claimForChecking(limit: number, leaseMs: number): Promise<ClaimedCall[]> {
    return this.commit(async (manager) => {
      // An UPDATE's rows come back structured only (TypeORM answers [rows, count] otherwise).
      const rows = await rowsQueryOf(manager.queryRunner!)(
        `UPDATE partner_adapter.payouts SET next_check_at = now() + make_interval(secs => $2)
         WHERE payment_id IN (SELECT payment_id FROM partner_adapter.payouts
           WHERE partner_id = $3 AND next_check_at <= now()
             AND state IN ('submitting', 'pending', 'escalated', 'booked')
           ORDER BY next_check_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING ${PAYOUT_COLUMNS}`,
        [limit, leaseMs / 1_000, this.partnerId],
      );
      const now = new Date();
      const claimed: ClaimedCall[] = [];
      for (const payout of rows.map(payoutOf)) {
        claimed.push({
          payout,
          attemptId: await startAttempt(manager, payout.paymentId, 'status', now),
        });
      }
      return claimed;
    });
  }

  /** The call's outcome recorded and decided on the payout as it is now. */
  async applyOutcome(
    call: ClaimedCall,
    outcome: CallOutcome,
    latencyMs: number,
    decide: Decide,
  ): Promise<void> {
    await this.commit(async (manager, write) => {
      await finishAttempt(
        manager,
        call.attemptId,
        {
          kind: outcome.kind,
          label: outcomeLabel(outcome),
          status: outcome.kind === 'answered' ? outcome.status : null,
        },
        latencyMs,
      );
      await this.decideOn(manager, write, { paymentId: call.payout.paymentId }, decide);
    });
  }

  /** Locks the payout, decides and writes its change; false when there is no such payout. */
  async decideOn(
    manager: EntityManager,
    write: (messages: OutgoingMessage[]) => Promise<void>,
    where: Parameters<typeof lockPayout>[1],
    decide: Decide,
  ): Promise<boolean> {
    const current = await lockPayout(manager, where);
    if (!current) return false;
    const change = decide(current);
    if (change) await recordChange(manager, write, current, change);
    return true;
  }

  /**
   * Escalates queued payouts past their deadline (never sent: the create breaker stayed open, or
   * the bank kept refusing connections). They stay queued, in their order, and are sent when the
   * breaker lets them; the count is how many were escalated.
   */
  async escalateOverdueQueued(limit: number): Promise<number> {
    return this.commit(async (manager, write) => {
      const rows: Record<string, unknown>[] = await manager.query(
        `SELECT ${PAYOUT_COLUMNS} FROM partner_adapter.payouts
         WHERE partner_id = $2 AND state = 'queued' AND escalated_at IS NULL
           AND deadline_at <= now()
         ORDER BY deadline_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit, this.partnerId],
      );
      let escalated = 0;
      for (const payout of rows.map(payoutOf)) {
        const change = escalateQueued(payout, new Date());
        if (!change) continue;
        await recordChange(manager, write, payout, change);
        escalated += 1;
      }
      return escalated;
    });
  }

  /**
   * Payouts escalated and still without the bank's word (queued ones included), oldest first
   * (IBAN and name masked by the caller).
   */
  async listEscalated(limit: number): Promise<Payout[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${PAYOUT_COLUMNS} FROM partner_adapter.payouts
       WHERE partner_id = $2 AND escalated_at IS NOT NULL
         AND state IN ('queued', 'submitting', 'pending', 'escalated')
       ORDER BY escalated_at LIMIT $1`,
      [limit, this.partnerId],
    );
    return rows.map(payoutOf);
  }

  /** Deposits credited to a suspense account, newest first. */
  async listSuspense(limit: number): Promise<Record<string, unknown>[]> {
    return this.dataSource.query(
      `SELECT bank_transaction_id, account_id, creditor_iban, amount_minor::text AS amount_minor,
         currency, received_at FROM partner_adapter.deposits WHERE suspense
       ORDER BY received_at DESC LIMIT $1`,
      [limit],
    );
  }
}

/** Writes a decided change with its messages, in the caller's transaction, and counts it. */
async function recordChange(
  manager: EntityManager,
  write: (messages: OutgoingMessage[]) => Promise<void>,
  current: Payout,
  change: NonNullable<ReturnType<Decide>>,
): Promise<void> {
  const now = new Date();
  await writePayoutChange(manager, current.paymentId, change, now);
  await write(
    payoutMessages(change.effects, current.accountId, current.paymentId, now, current.traceparent),
  );
  if (change.state !== current.state) {
    adapterMetrics.payoutTransitions.inc({ partner: current.partnerId, state: change.state });
  }
  for (const effect of change.effects) {
    if (effect.type === 'PayoutEscalated') {
      adapterMetrics.escalations.inc({ partner: current.partnerId });
    } else if (effect.type === 'PayoutOutcomeUnknown') {
      adapterMetrics.unknownOutcomes.inc({
        partner: current.partnerId,
        cause: String(effect.data.cause),
      });
    }
  }
}
