import { EntityManager } from 'typeorm';
import {
  OutgoingMessage,
  RunFacts,
  bankSideOf,
  differenceMessages,
  ledgerSideOf,
  matchedLaterMessage,
  openedException,
  resolutionMessages,
  runCompletedMessage,
  summarize,
} from '@rtp/reconciler/application';
import {
  BankLine,
  DayOutcome,
  RuleId,
  RuleParameters,
  exceptionIdOf,
  matchDay,
  ruleLabel,
  runIdOf,
} from '@rtp/reconciler/domain';
import { reconcilerMetrics } from '../reconciler-metrics';
import { ReconcilerStore } from '../store/reconciler-store';
import { dayLines, dayRecords, dayStatements } from './run-loading';
import { insertExceptions, insertMatches, resolveMatchedLater } from './run-storing';

export interface RunRequest {
  requestId: string;
  partnerId: string;
  date: string;
  trigger: RunFacts['trigger'];
  requestedBy: string;
}

export interface RunReport {
  requestId: string;
  partnerId: string;
  runId: string;
  created: boolean;
  linesTotal: number;
  durationMs: number;
}

/**
 * Everything a run found, in a stable order: the same findings give the same run id. Lines are
 * named by their key, not by their statement's id: the day's statement fetched again is another
 * file (the bank's message id and creation time differ) with the same entries, and finds the same.
 */
function fingerprint(statementIds: string[], lines: BankLine[], outcome: DayOutcome): string[] {
  const keys = new Map(lines.map((line) => [line.lineId, line.lineKey]));
  return [
    `statements ${statementIds.length}`,
    ...outcome.matches.map((m) => `m ${keys.get(m.lineId)} ${m.recordId} ${ruleLabel(m.rule)}`),
    ...outcome.exceptions.map((e) => `e ${e.exceptionClass} ${e.key}`),
    ...outcome.resolutions.map((r) => `r ${r.record.recordId} ${r.resolution}`),
    ...outcome.differences.map((d) => `d ${d.record.recordId} ${d.amountMinor}`),
  ];
}

/**
 * Runs the oldest waiting run request: loads the day (statements, lines, records) in three
 * set-based queries, matches in memory, stores matches and exceptions with multi-row statements
 * and writes the messages to the outbox, all in one transaction that also marks the request
 * done. One partner's runs are serialised by an advisory lock.
 */
export class RunExecutor {
  constructor(
    private readonly store: ReconcilerStore,
    private readonly rules: () => ReadonlyMap<RuleId, number>,
    private readonly parameters: RuleParameters,
    /**
     * How long an on-demand run waits for a complete statement of its day when there is none yet
     * (the admin's request also fetches it: the run would otherwise find nothing and record an
     * empty run first); past it, the run records that no statement was found.
     */
    private readonly statementWaitMs = 120_000,
  ) {}

  async runNext(): Promise<RunReport | null> {
    return this.store.commit(async (manager, write) => {
      const [request] = await manager.query(
        `SELECT request_id, partner_id, to_char(run_date, 'YYYY-MM-DD') AS run_date, trigger_kind,
           requested_by FROM reconciler.run_requests r
         WHERE done_at IS NULL AND (trigger_kind <> 'on_demand'
           OR requested_at < now() - make_interval(secs => $1::double precision / 1000)
           OR EXISTS (SELECT 1 FROM reconciler.statements s WHERE s.partner_id = r.partner_id
                        AND s.statement_date = r.run_date AND s.completed_at IS NOT NULL))
         ORDER BY requested_at, request_id LIMIT 1 FOR UPDATE OF r SKIP LOCKED`,
        [this.statementWaitMs],
      );
      if (!request) return null;
      const report = await this.run(manager, write, {
        requestId: request.request_id,
        partnerId: request.partner_id,
        date: request.run_date,
        trigger: request.trigger_kind,
        requestedBy: request.requested_by,
      });
      await manager.query(
        `UPDATE reconciler.run_requests SET done_at = now(), run_id = $2 WHERE request_id = $1`,
        [report.requestId, report.runId],
      );
      return report;
    });
  }

  private async run(
    manager: EntityManager,
    write: (messages: OutgoingMessage[]) => Promise<{ message: OutgoingMessage }[]>,
    request: RunRequest,
  ): Promise<RunReport> {
    const startedAt = new Date();
    const { partnerId, date } = request;
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`reconciler:${partnerId}`]);
    const statementIds = await dayStatements(manager, partnerId, date);
    const lines = await dayLines(manager, statementIds);
    const window = this.parameters.dateWindowDays;
    const records = await dayRecords(manager, partnerId, date, statementIds, window);
    const outcome = statementIds.length
      ? matchDay({
          partnerId,
          date,
          lines,
          records,
          rules: this.rules(),
          parameters: this.parameters,
        })
      : { matches: [], resolutions: [], differences: [], exceptions: [] };
    const runId = runIdOf(partnerId, date, fingerprint(statementIds, lines, outcome));
    const report = { requestId: request.requestId, partnerId, runId, linesTotal: lines.length };
    const [existing] = await manager.query(`SELECT 1 FROM reconciler.runs WHERE run_id = $1`, [
      runId,
    ]);
    if (existing) {
      reconcilerMetrics.runs.inc({ partner: partnerId, trigger: request.trigger, new: 'false' });
      return { ...report, created: false, durationMs: Date.now() - startedAt.getTime() };
    }
    const facts: RunFacts = {
      ...request,
      runId,
      statementIds,
      linesTotal: lines.length,
      startedAt,
    };
    await insertMatches(manager, runId, outcome);
    const opened = await this.exceptions(manager, facts, outcome);
    const at = new Date();
    const matchedLater = await this.matchedLater(manager, facts, outcome, at);
    const sent = await write([
      ...matchedLater,
      ...resolutionMessages(facts, outcome, at),
      ...differenceMessages(facts, outcome, at),
      ...opened,
    ]);
    const count = (type: string) => sent.filter((row) => row.message.messageType === type).length;
    const summary = summarize(lines.length, outcome);
    const tallies = {
      newExceptions: opened.length,
      autoResolved: count('ResolvePayment'),
      differencesBooked: count('BookPartnerDifference'),
    };
    const completed = runCompletedMessage(facts, summary, tallies, new Date());
    await manager.query(
      `INSERT INTO reconciler.runs (run_id, partner_id, run_date, summary, completed_at)
       VALUES ($1, $2, $3, $4, now())`,
      [runId, partnerId, date, JSON.stringify((completed.payload as { data: unknown }).data)],
    );
    await write([completed]);
    this.observe(request, lines.length, summary, startedAt);
    return { ...report, created: true, durationMs: Date.now() - startedAt.getTime() };
  }

  private async matchedLater(
    manager: EntityManager,
    facts: RunFacts,
    outcome: DayOutcome,
    at: Date,
  ): Promise<OutgoingMessage[]> {
    const recordIds = new Set(outcome.matches.map((match) => match.recordId));
    const candidates = [...recordIds].map((id) =>
      exceptionIdOf(facts.partnerId, 'missing_at_bank', id),
    );
    const resolved = await resolveMatchedLater(manager, candidates);
    return resolved.map((exceptionId) => matchedLaterMessage(facts, exceptionId, at));
  }

  private async exceptions(manager: EntityManager, facts: RunFacts, outcome: DayOutcome) {
    const at = new Date();
    const rows = outcome.exceptions.map((found) => ({
      exceptionId: exceptionIdOf(facts.partnerId, found.exceptionClass, found.key),
      found,
      ledgerSide: found.records.map(ledgerSideOf),
      bankSide: found.lines.map(bankSideOf),
    }));
    const fresh = await insertExceptions(manager, facts.partnerId, facts.date, facts.runId, rows);
    return rows
      .filter((row) => fresh.has(row.exceptionId))
      .map((row) => openedException(facts, row.found, at).message);
  }

  private observe(
    request: RunRequest,
    linesTotal: number,
    summary: ReturnType<typeof summarize>,
    startedAt: Date,
  ): void {
    const partner = request.partnerId;
    reconcilerMetrics.runs.inc({ partner, trigger: request.trigger, new: 'true' });
    reconcilerMetrics.runSeconds.observe({ partner }, (Date.now() - startedAt.getTime()) / 1_000);
    reconcilerMetrics.matchRate.set({ partner }, summary.matchRateBasisPoints / 10_000);
    for (const [rule, matched] of Object.entries(summary.matchedByRule)) {
      reconcilerMetrics.ruleMatchRate.set({ partner, rule }, linesTotal ? matched / linesTotal : 0);
    }
    for (const [name, value] of Object.entries(summary.counts)) {
      reconcilerMetrics.runLines.inc({ partner, class: name }, value);
    }
  }
}
