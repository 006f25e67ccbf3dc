import { EntityManager } from 'typeorm';
import { ReconciliationCommand } from '@rtp/contracts';
import { ReviewedException, reviewMessages } from '@rtp/reconciler/application';
import {
  AcceptBankEffect,
  ExceptionState,
  ReviewDecision,
  decideReview,
} from '@rtp/reconciler/domain';
import { reconcilerMetrics } from '../reconciler-metrics';
import { WriteMessages } from '../store/reconciler-store';

type ReviewCommand = Extract<
  ReconciliationCommand,
  { type: 'ProposeResolution' | 'ApproveResolution' | 'DeclineResolution' }
>;

interface Locked {
  state: ExceptionState;
  facts: ReviewedException;
  exceptionClass: string;
  openedAt: Date;
}

function effectOf(stored: Record<string, unknown> | null): AcceptBankEffect | null {
  if (!stored) return null;
  if (stored.command !== 'BookPartnerDifference') return stored as unknown as AcceptBankEffect;
  return { ...stored, amountMinor: BigInt(String(stored.amountMinor)) } as AcceptBankEffect;
}

async function lockException(manager: EntityManager, exceptionId: string): Promise<Locked | null> {
  const [row] = await manager.query(
    `SELECT e.*, p.proposal_id, p.resolution, p.note, p.actor FROM reconciler.exceptions e
     LEFT JOIN reconciler.proposals p ON p.exception_id = e.exception_id AND p.status = 'waiting'
     WHERE e.exception_id = $1 FOR UPDATE OF e`,
    [exceptionId],
  );
  if (!row) return null;
  return {
    state: {
      exceptionId,
      status: row.status,
      acceptBank: effectOf(row.accept_bank),
      proposal: row.proposal_id
        ? {
            proposalId: row.proposal_id,
            resolution: row.resolution,
            note: row.note,
            actor: row.actor,
          }
        : null,
    },
    facts: {
      exceptionId,
      partnerId: row.partner_id,
      currency: row.currency,
      ledgerSide: row.ledger_side,
      bankSide: row.bank_side,
    },
    exceptionClass: row.exception_class,
    openedAt: new Date(row.opened_at),
  };
}

async function applyDecision(manager: EntityManager, decision: ReviewDecision, locked: Locked) {
  const id = locked.state.exceptionId;
  if (decision.kind === 'proposed') {
    const { proposalId, resolution, note, actor } = decision.proposal;
    await manager.query(
      `INSERT INTO reconciler.proposals (proposal_id, exception_id, resolution, note, actor, status,
         proposed_at, decided_by, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, now(), NULL, CASE WHEN $6 = 'approved' THEN now() END)`,
      [proposalId, id, resolution, note, actor, decision.resolved ? 'approved' : 'waiting'],
    );
  } else if (decision.kind === 'approved' || decision.kind === 'declined') {
    const status = decision.kind === 'approved' ? 'approved' : 'declined';
    const actor = decision.kind === 'approved' ? decision.approver : decision.actor;
    await manager.query(
      `UPDATE reconciler.proposals SET status = $2, decided_by = $3, decided_at = now()
       WHERE proposal_id = $1`,
      [decision.proposal.proposalId, status, actor],
    );
  }
  const resolved =
    (decision.kind === 'proposed' && decision.resolved) || decision.kind === 'approved';
  if (!resolved) return;
  await manager.query(
    `UPDATE reconciler.exceptions SET status = 'resolved', resolved_at = now() WHERE exception_id = $1`,
    [id],
  );
  reconcilerMetrics.resolutionSeconds.observe(
    { class: locked.exceptionClass },
    (Date.now() - locked.openedAt.getTime()) / 1_000,
  );
}

/**
 * A review command applied once per action id on the exception as locked: the decision, its
 * events (a refusal too: every action is audited) and, on approval, the new ledger command.
 */
export async function handleReviewCommand(
  manager: EntityManager,
  write: WriteMessages,
  command: ReviewCommand,
  fallbackPartnerId: string,
): Promise<void> {
  const { actionId, exceptionId } = command.data;
  const seen: unknown[] = await manager.query(
    `INSERT INTO reconciler.review_actions (action_id, exception_id, applied_at)
     VALUES ($1, $2, now()) ON CONFLICT DO NOTHING RETURNING action_id`,
    [actionId, exceptionId],
  );
  if (seen.length === 0) return;
  const locked = await lockException(manager, exceptionId);
  const decision = decideReview(locked?.state ?? null, command);
  const partnerId = locked?.facts.partnerId ?? fallbackPartnerId;
  await write(reviewMessages(locked?.facts ?? null, partnerId, command, decision, new Date()));
  reconcilerMetrics.reviewActions.inc({ action: command.type, outcome: decision.kind });
  if (locked) await applyDecision(manager, decision, locked);
}
