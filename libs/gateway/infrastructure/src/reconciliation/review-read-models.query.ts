import { DataSource } from 'typeorm';
import {
  AuditEntry,
  ExceptionDetail,
  ExceptionFilter,
  ExceptionSummary,
  Page,
  ProposalView,
  ReviewActionView,
  ReviewReader,
  RuleView,
  RunView,
} from '@rtp/gateway/application';
import { decodeCursor, encodeCursor, instantField } from '../read-model-cursor';

const EXCEPTION_COLUMNS = `exception_id, partner_id, run_id, class, currency,
  amount_at_risk_minor::text AS amount_at_risk_minor, to_char(statement_date, 'YYYY-MM-DD') AS date,
  status, accept_bank_effect, detected_at, resolved_at`;
const HISTORY_ROWS_MAX = 500;

type Row = Record<string, any>;

const reviewIdField = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 200;

function summaryOf(row: Row): ExceptionSummary {
  return {
    exceptionId: row.exception_id,
    partnerId: row.partner_id,
    runId: row.run_id,
    class: row.class,
    currency: row.currency,
    amountAtRiskMinor: row.amount_at_risk_minor,
    date: row.date,
    status: row.status,
    acceptBankEffect: row.accept_bank_effect,
    detectedAt: row.detected_at,
    resolvedAt: row.resolved_at,
  };
}

const proposalOf = (row: Row): ProposalView => ({
  proposalId: row.proposal_id,
  resolution: row.resolution,
  note: row.note,
  actor: row.actor,
  requiresApproval: row.requires_approval,
  status: row.status,
  decidedBy: row.decided_by,
  decisionNote: row.decision_note,
  ledgerCommandId: row.ledger_command_id,
  proposedAt: row.proposed_at,
  decidedAt: row.decided_at,
});

const actionOf = (row: Row): ReviewActionView => ({
  actionId: row.action_id,
  kind: row.kind,
  actor: row.actor,
  proposalId: row.proposal_id,
  status: row.status,
  refusalCode: row.refusal_code,
  refusalDetail: row.refusal_detail,
  createdAt: row.created_at,
});

const auditOf = (row: Row): AuditEntry => ({
  eventId: row.event_id,
  type: row.event_type,
  actor: row.actor,
  at: row.at,
  detail: row.detail,
});

/** The review queue's read models, on the reader (a replica when one is configured). */
export class ReviewReadModels implements ReviewReader {
  constructor(private readonly reader: DataSource) {}

  async listExceptions(
    filter: ExceptionFilter,
    limit: number,
    cursor: string | undefined,
  ): Promise<Page<ExceptionSummary>> {
    const position = decodeCursor(cursor, [instantField, reviewIdField]);
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const where = (sql: string, value: unknown) => {
      parameters.push(value);
      conditions.push(sql.replace('?', `$${parameters.length}`));
    };
    if (filter.status) where('status = ?', filter.status);
    if (filter.class) where('class = ?', filter.class);
    if (filter.currency) where('currency = ?', filter.currency);
    if (filter.partnerId) where('partner_id = ?', filter.partnerId);
    if (filter.minAgeHours !== null) {
      where('detected_at <= ?', new Date(filter.now.getTime() - filter.minAgeHours * 3_600_000));
    }
    if (position) {
      parameters.push(position[0], position[1]);
      const at = parameters.length - 1;
      conditions.push(`(detected_at, exception_id) > ($${at}::timestamptz, $${at + 1})`);
    }
    parameters.push(limit + 1);
    const rows: Row[] = await this.reader.query(
      `SELECT ${EXCEPTION_COLUMNS} FROM gateway.reconciliation_exceptions
       ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY detected_at, exception_id LIMIT $${parameters.length}`,
      parameters,
    );
    const data = rows.slice(0, limit).map(summaryOf);
    const last = data.at(-1);
    return {
      data,
      nextCursor:
        rows.length > limit && last
          ? encodeCursor([last.detectedAt.toISOString(), last.exceptionId])
          : null,
    };
  }

  async readException(exceptionId: string): Promise<ExceptionDetail | null> {
    const rows: Row[] = await this.reader.query(
      `SELECT ${EXCEPTION_COLUMNS}, ledger_side, bank_side, resolution, resolution_note,
         resolved_by, approved_by, ledger_command_id
       FROM gateway.reconciliation_exceptions WHERE exception_id = $1`,
      [exceptionId],
    );
    if (rows.length === 0) return null;
    const history = (table: string, order: string): Promise<Row[]> =>
      this.reader.query(
        `SELECT * FROM gateway.${table} WHERE exception_id = $1 ORDER BY ${order} LIMIT $2`,
        [exceptionId, HISTORY_ROWS_MAX],
      );
    const [proposals, actions, audit] = await Promise.all([
      history('reconciliation_proposals', 'proposed_at, proposal_id'),
      history('reconciliation_actions', 'created_at, action_id'),
      history('reconciliation_audit', 'at, event_id'),
    ]);
    const row = rows[0];
    return {
      ...summaryOf(row),
      ledgerSide: row.ledger_side,
      bankSide: row.bank_side,
      resolution:
        row.resolution === null
          ? null
          : {
              resolution: row.resolution,
              note: row.resolution_note,
              resolvedBy: row.resolved_by,
              approvedBy: row.approved_by,
              ledgerCommandId: row.ledger_command_id,
            },
      proposals: proposals.map(proposalOf),
      actions: actions.map(actionOf),
      audit: audit.map(auditOf),
    };
  }

  async listRuns(partnerId: string | null, limit: number): Promise<RunView[]> {
    const rows: Row[] = await this.reader.query(
      `SELECT *, to_char(statement_date, 'YYYY-MM-DD') AS date FROM gateway.reconciliation_runs
       WHERE $1::text IS NULL OR partner_id = $1
       ORDER BY completed_at DESC, run_id LIMIT $2`,
      [partnerId, limit],
    );
    return rows.map((row) => ({
      runId: row.run_id,
      partnerId: row.partner_id,
      date: row.date,
      trigger: row.trigger,
      requestedBy: row.requested_by,
      statementFound: row.statement_found,
      linesTotal: row.lines_total,
      counts: row.counts,
      matchedByRule: row.matched_by_rule,
      matchRateBasisPoints: row.match_rate_basis_points,
      newExceptions: row.new_exceptions,
      autoResolved: row.auto_resolved,
      differencesBooked: row.differences_booked,
      durationMs: row.duration_ms,
      startedAt: row.started_at,
      completedAt: row.completed_at,
    }));
  }

  async listRules(): Promise<RuleView[]> {
    const rows: Row[] = await this.reader.query(
      `SELECT * FROM gateway.matching_rules ORDER BY active DESC, rule_id, version DESC LIMIT 1000`,
    );
    return rows.map((row) => ({
      ruleId: row.rule_id,
      version: row.version,
      strategy: row.strategy,
      description: row.description,
      parameters: row.parameters,
      active: row.active,
      activatedAt: row.activated_at,
    }));
  }
}
