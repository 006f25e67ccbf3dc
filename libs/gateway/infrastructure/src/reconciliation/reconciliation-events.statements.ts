import { EntityManager } from 'typeorm';
import { ReconciliationEvent } from '@rtp/contracts';

type Data<T extends ReconciliationEvent['type']> = Extract<
  ReconciliationEvent,
  { type: T }
>['data'];
type Query = (sql: string, parameters: unknown[]) => Promise<unknown>;

/** Open, awaiting its checker, or resolved: what the exception's rows say now. */
const RESTATE_EXCEPTION = `UPDATE gateway.reconciliation_exceptions e SET status = CASE
    WHEN e.resolved_at IS NOT NULL THEN 'resolved'
    WHEN EXISTS (SELECT 1 FROM gateway.reconciliation_proposals p
                 WHERE p.exception_id = e.exception_id AND p.status = 'pending') THEN 'awaiting_approval'
    ELSE 'open' END
  WHERE e.exception_id = $1`;

/**
 * The gateway's action a reconciler's event answers is done (once: only while it is sent). A
 * proposal answers the action whose id is the proposal's, or else this actor's oldest sent one.
 */
const PROPOSE_DONE = `UPDATE gateway.reconciliation_actions SET status = 'done', proposal_id = $1,
    updated_at = $2
  WHERE action_id = (SELECT action_id FROM gateway.reconciliation_actions
    WHERE status = 'sent' AND kind = 'propose' AND exception_id = $3 AND actor = $4
    ORDER BY (action_id = $1) DESC, created_at LIMIT 1)`;
const DECISION_DONE = `UPDATE gateway.reconciliation_actions SET status = 'done', updated_at = $2
  WHERE action_id = (SELECT action_id FROM gateway.reconciliation_actions
    WHERE status = 'sent' AND kind = $1 AND exception_id = $3 AND actor = $4 AND proposal_id = $5
    ORDER BY created_at LIMIT 1)`;

async function opened(query: Query, data: Data<'ExceptionOpened'>): Promise<void> {
  await query(
    `INSERT INTO gateway.reconciliation_exceptions (exception_id, partner_id, run_id, class,
       currency, amount_at_risk_minor, statement_date, ledger_side, bank_side, accept_bank_effect,
       status, detected_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11)
     ON CONFLICT (exception_id) DO NOTHING`,
    [
      data.exceptionId,
      data.partnerId,
      data.runId,
      data.class,
      data.currency,
      data.amountAtRiskMinor,
      data.date,
      JSON.stringify(data.ledgerSide),
      JSON.stringify(data.bankSide),
      data.acceptBankEffect,
      data.detectedAt,
    ],
  );
}

async function proposed(query: Query, data: Data<'ExceptionResolutionProposed'>): Promise<void> {
  // A resolution that needs no checker (dismiss) is decided by its proposal.
  await query(
    `INSERT INTO gateway.reconciliation_proposals (proposal_id, exception_id, resolution, note,
       actor, requires_approval, status, proposed_at, decided_at)
     VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6 THEN 'pending' ELSE 'approved' END, $7,
       CASE WHEN $6 THEN NULL ELSE $7::timestamptz END)
     ON CONFLICT (proposal_id) DO NOTHING`,
    [
      data.proposalId,
      data.exceptionId,
      data.resolution,
      data.note,
      data.actor,
      data.requiresApproval,
      data.at,
    ],
  );
  await query(PROPOSE_DONE, [data.proposalId, data.at, data.exceptionId, data.actor]);
  await query(RESTATE_EXCEPTION, [data.exceptionId]);
}

async function decided(
  query: Query,
  data: Data<'ExceptionResolutionApproved'> | Data<'ExceptionResolutionDeclined'>,
  status: 'approved' | 'declined',
): Promise<void> {
  await query(
    `UPDATE gateway.reconciliation_proposals SET status = $2, decided_by = $3, decision_note = $4,
       ledger_command_id = $5, decided_at = $6
     WHERE proposal_id = $1 AND status = 'pending'`,
    [
      data.proposalId,
      status,
      data.actor,
      'note' in data ? data.note : null,
      'ledgerCommandId' in data ? data.ledgerCommandId : null,
      data.at,
    ],
  );
  const kind = status === 'approved' ? 'approve' : 'decline';
  await query(DECISION_DONE, [kind, data.at, data.exceptionId, data.actor, data.proposalId]);
  await query(RESTATE_EXCEPTION, [data.exceptionId]);
}

async function resolved(query: Query, data: Data<'ExceptionResolved'>): Promise<void> {
  await query(
    `UPDATE gateway.reconciliation_exceptions SET status = 'resolved', resolution = $2,
       resolution_note = $3, resolved_by = $4, approved_by = $5, ledger_command_id = $6,
       resolved_at = $7
     WHERE exception_id = $1 AND resolved_at IS NULL`,
    [
      data.exceptionId,
      data.resolution,
      data.note,
      data.resolvedBy,
      data.approvedBy,
      data.ledgerCommandId,
      data.at,
    ],
  );
}

async function refusedAction(query: Query, data: Data<'ExceptionActionRefused'>): Promise<void> {
  await query(
    `UPDATE gateway.reconciliation_actions SET status = 'refused', refusal_code = $2,
       refusal_detail = $3, updated_at = $4
     WHERE action_id = $1 AND status = 'sent'`,
    [data.actionId, data.code, data.detail, data.at],
  );
}

async function runCompleted(query: Query, data: Data<'ReconciliationRunCompleted'>): Promise<void> {
  await query(
    `INSERT INTO gateway.reconciliation_runs (run_id, partner_id, statement_date, trigger,
       requested_by, statement_found, lines_total, counts, matched_by_rule,
       match_rate_basis_points, new_exceptions, auto_resolved, differences_booked, duration_ms,
       started_at, completed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     ON CONFLICT (run_id) DO NOTHING`,
    [
      data.runId,
      data.partnerId,
      data.date,
      data.trigger,
      data.requestedBy,
      data.statementFound,
      data.linesTotal,
      JSON.stringify(data.counts),
      JSON.stringify(data.matchedByRule),
      data.matchRateBasisPoints,
      data.newExceptions,
      data.autoResolved,
      data.differencesBooked,
      data.durationMs,
      data.startedAt,
      data.at,
    ],
  );
}

/**
 * The rules in force are the latest activation's by its time (`at`), not by the order the events
 * were read in: activations come keyed per partner, on several partitions. Each rule version keeps
 * the latest time it was listed; `active` is recomputed under a lock, so two transactions cannot
 * each keep their own set active.
 */
async function rulesActivated(query: Query, data: Data<'MatchingRulesActivated'>): Promise<void> {
  await query("SELECT pg_advisory_xact_lock(hashtext('gateway.matching_rules'))", []);
  for (const rule of data.rules) {
    await query(
      `INSERT INTO gateway.matching_rules (rule_id, version, strategy, description, parameters,
         active, activated_at, listed_at)
       VALUES ($1, $2, $3, $4, $5, false, $6, $6)
       ON CONFLICT (rule_id, version) DO UPDATE SET
         activated_at = LEAST(matching_rules.activated_at, EXCLUDED.activated_at),
         listed_at = GREATEST(matching_rules.listed_at, EXCLUDED.listed_at)`,
      [
        rule.ruleId,
        rule.version,
        rule.strategy,
        rule.description,
        JSON.stringify(rule.parameters),
        data.at,
      ],
    );
  }
  await query(
    `UPDATE gateway.matching_rules SET active = (listed_at = latest.at)
     FROM (SELECT max(listed_at) AS at FROM gateway.matching_rules) latest
     WHERE active IS DISTINCT FROM (listed_at = latest.at)`,
    [],
  );
}

/** The audit trail: every event that names an exception, once by its envelope id. */
async function audit(query: Query, eventId: string, event: ReconciliationEvent): Promise<void> {
  if (!('exceptionId' in event.data)) return;
  const data = event.data as Record<string, unknown> & { exceptionId: string };
  const actor = data.actor ?? data.resolvedBy ?? null;
  const at = data.at ?? data.detectedAt;
  await query(
    `INSERT INTO gateway.reconciliation_audit (event_id, exception_id, event_type, actor, detail, at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING`,
    [eventId, data.exceptionId, event.type, actor, JSON.stringify(data), at],
  );
}

/**
 * Writes one reconciliation event into the review read models, in the caller's transaction. Each
 * write is idempotent on its own (ON CONFLICT, or a status it moves only once), besides the
 * position's compare-and-set. Events the read models do not show (a payment resolved from the
 * statement, a tolerated difference) are passed over; the reconciler's metrics count them.
 */
export async function projectReconciliationEvent(
  manager: EntityManager,
  eventId: string,
  event: ReconciliationEvent,
): Promise<void> {
  const query: Query = (sql, parameters) => manager.query(sql, parameters);
  switch (event.type) {
    case 'ExceptionOpened':
      await opened(query, event.data);
      break;
    case 'ExceptionResolutionProposed':
      await proposed(query, event.data);
      break;
    case 'ExceptionResolutionApproved':
      await decided(query, event.data, 'approved');
      break;
    case 'ExceptionResolutionDeclined':
      await decided(query, event.data, 'declined');
      break;
    case 'ExceptionResolved':
      await resolved(query, event.data);
      break;
    case 'ExceptionActionRefused':
      await refusedAction(query, event.data);
      break;
    case 'ReconciliationRunCompleted':
      await runCompleted(query, event.data);
      break;
    case 'MatchingRulesActivated':
      await rulesActivated(query, event.data);
      break;
    default:
      break;
  }
  await audit(query, eventId, event);
}
