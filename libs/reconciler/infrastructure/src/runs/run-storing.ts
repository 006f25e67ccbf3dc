import { EntityManager } from 'typeorm';
import { DayOutcome, FoundException } from '@rtp/reconciler/domain';
import { rowsQueryOf } from '@rtp/shared/database';

const ROWS_PER_STATEMENT_MAX = 20_000;

/** The matches in set-based statements of bounded size; a line matched before stays as it was. */
export async function insertMatches(
  manager: EntityManager,
  runId: string,
  outcome: DayOutcome,
): Promise<void> {
  for (let start = 0; start < outcome.matches.length; start += ROWS_PER_STATEMENT_MAX) {
    const slice = outcome.matches.slice(start, start + ROWS_PER_STATEMENT_MAX);
    await manager.query(
      `INSERT INTO reconciler.matches (line_id, record_id, rule_id, rule_version, run_id, matched_at)
       SELECT v.*, $5::text, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[]) AS v
       ON CONFLICT (line_id) DO NOTHING`,
      [
        slice.map((m) => m.lineId),
        slice.map((m) => m.recordId),
        slice.map((m) => m.rule.ruleId),
        slice.map((m) => m.rule.version),
        runId,
      ],
    );
  }
}

export interface ExceptionRow {
  exceptionId: string;
  found: FoundException;
  ledgerSide: unknown[];
  bankSide: unknown[];
}

const storedEffect = (found: FoundException) =>
  found.acceptBank === null
    ? null
    : JSON.stringify(found.acceptBank, (_, value) =>
        typeof value === 'bigint' ? value.toString() : value,
      );

/** Inserts the exceptions; returns the ids that are new (one found again is no new exception). */
export async function insertExceptions(
  manager: EntityManager,
  partnerId: string,
  date: string,
  runId: string,
  rows: ExceptionRow[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted: { exception_id: string }[] = await manager.query(
    `INSERT INTO reconciler.exceptions (exception_id, partner_id, exception_class, currency,
       amount_at_risk_minor, found_date, run_id, ledger_side, bank_side, accept_bank, status,
       opened_at, record_id)
     SELECT v.id, $7, v.class, v.currency, v.amount, $8::date, $9, v.ledger, v.bank, v.effect,
       'open', now(), v.record_id
     FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::jsonb[], $6::jsonb[],
       $10::jsonb[], $11::text[]) AS v(id, class, currency, amount, ledger, bank, effect, record_id)
     ON CONFLICT (exception_id) DO NOTHING RETURNING exception_id`,
    [
      rows.map((r) => r.exceptionId),
      rows.map((r) => r.found.exceptionClass),
      rows.map((r) => r.found.currency),
      rows.map((r) => r.found.amountAtRiskMinor.toString()),
      rows.map((r) => JSON.stringify(r.ledgerSide)),
      rows.map((r) => JSON.stringify(r.bankSide)),
      partnerId,
      date,
      runId,
      rows.map((r) => storedEffect(r.found)),
      rows.map((r) => (r.found.lines.length > 0 ? (r.found.records[0]?.recordId ?? null) : null)),
    ],
  );
  return new Set(inserted.map((row) => row.exception_id));
}

/**
 * Open missing-at-bank exceptions of records this run matched: resolved as matched later (the
 * bank booked them on a later statement). Returns their ids.
 */
export async function resolveMatchedLater(
  manager: EntityManager,
  exceptionIds: string[],
): Promise<string[]> {
  if (exceptionIds.length === 0) return [];
  const rows = await rowsQueryOf(manager.queryRunner!)(
    `UPDATE reconciler.exceptions SET status = 'resolved', resolved_at = now()
     WHERE exception_id = ANY($1::text[]) AND status = 'open' RETURNING exception_id`,
    [exceptionIds],
  );
  return rows.map((row) => String(row.exception_id));
}
