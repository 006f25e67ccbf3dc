import { MachineInfo } from '../../bench/harness/machine-info';
import { Check } from '../chaos-checks';
import { PayoutChaosConfig } from './payout-config';
import { AttemptRecord } from './payout-load';
import { PhaseResult, latencyOf } from './payout-phases';
import { PayoutExitRecord } from './payout-platform';

/** One line of the table: a phase, its payouts and what became of them. */
export interface PhaseRow {
  phase: string;
  action: string;
  faultSeconds: number;
  drainSeconds: number;
  payouts: number;
  accepted: number;
  completed: number;
  failed: number;
  other: number;
  bankTransfers: number;
  doubled: number;
  bankFaults: Record<string, number>;
  kills: number;
  postP50Ms: number | null;
  postP99Ms: number | null;
  retriedAnswers: number;
  figures: Record<string, number | null>;
}

export interface PayoutChaosResult {
  status: 'passed' | 'failed' | 'interrupted';
  error: string | null;
  startedAt: string;
  config: PayoutChaosConfig;
  machine: MachineInfo;
  rows: PhaseRow[];
  checks: Check[];
  exits: PayoutExitRecord[];
  restarts: Record<string, number>;
}

export const RESULTS_PREFIX = 'chaos-payouts';

export function buildRow(
  phase: PhaseResult,
  attempts: AttemptRecord[],
  transfersOf: Map<string, number>,
): PhaseRow {
  const own = attempts.filter((attempt) => attempt.phase === phase.name);
  const accepted = phase.payouts.filter((payout) => payout.paymentIds.length > 0);
  const count = (status: string) => accepted.filter((p) => p.finalStatus === status).length;
  const transfers = accepted.map((payout) => transfersOf.get(payout.paymentIds[0]) ?? 0);
  return {
    phase: phase.name,
    action: phase.action,
    faultSeconds: phase.faultSeconds,
    drainSeconds: phase.drainSeconds,
    payouts: phase.payouts.length,
    accepted: accepted.length,
    completed: count('completed'),
    failed: count('failed'),
    other: accepted.length - count('completed') - count('failed'),
    bankTransfers: transfers.reduce((sum, value) => sum + value, 0),
    doubled: transfers.filter((value) => value > 1).length,
    bankFaults: phase.bankFaults,
    kills: phase.kills,
    postP50Ms: latencyOf(own, 0.5),
    postP99Ms: latencyOf(own, 0.99),
    retriedAnswers: own.filter((attempt) => !['201', '202'].includes(attempt.outcome)).length,
    figures: phase.figures,
  };
}

const fixed = (value: number | null, digits = 0) => (value === null ? '' : value.toFixed(digits));

export function formatTable(rows: PhaseRow[]): string {
  const header = [
    'phase',
    'fault s',
    'drain s',
    'payouts',
    'completed',
    'failed',
    'other',
    'bank transfers',
    'doubled',
    'bank faults (drop/5xx/hang)',
    'kills',
    'POST p50 ms',
    'POST p99 ms',
    'retried answers',
  ];
  const lines = rows.map((row) => [
    row.phase,
    fixed(row.faultSeconds, 1),
    fixed(row.drainSeconds, 1),
    String(row.payouts),
    String(row.completed),
    String(row.failed),
    String(row.other),
    String(row.bankTransfers),
    String(row.doubled),
    `${row.bankFaults.drop_after_apply ?? 0}/${row.bankFaults.error ?? 0}/${row.bankFaults.hang ?? 0}`,
    String(row.kills),
    fixed(row.postP50Ms),
    fixed(row.postP99Ms),
    String(row.retriedAnswers),
  ]);
  return [header, header.map(() => '---'), ...lines]
    .map((cells) => `| ${cells.join(' | ')} |`)
    .join('\n');
}

export function formatChecks(checks: Check[]): string {
  return ['Checks:']
    .concat(
      checks.map((check) => `  ${check.passed ? 'PASS' : 'FAIL'}  ${check.name}: ${check.detail}`),
    )
    .join('\n');
}

export function formatFigures(rows: PhaseRow[]): string {
  return rows
    .filter((row) => Object.keys(row.figures).length > 0)
    .map(
      (row) =>
        `${row.phase}: ${row.action}; ` +
        Object.entries(row.figures)
          .map(([name, value]) => `${name} ${value === null ? 'none' : Number(value.toFixed(2))}`)
          .join(', '),
    )
    .join('\n');
}
