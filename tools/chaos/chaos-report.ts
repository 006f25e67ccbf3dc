import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { MachineInfo } from '../bench/harness/machine-info';
import { groupLogMessages } from '../bench/harness/service-log';
import { ChaosConfig } from './chaos-config';
import { Check } from './chaos-checks';
import { ServiceExitRecord } from './chaos-platform';
import { FaultResult } from './fault-run';
import { KeyRecord, WindowStats } from './load-windows';

/** One line of the table: the baseline or a fault, with the payments first sent meanwhile. */
export interface WindowRow {
  name: string;
  action: string;
  faultSeconds: number | null;
  recoverySeconds: number | null;
  readySeconds: number | null;
  accepted: number;
  terminal: number;
  lost: number;
  duplicated: number;
  serverErrors: number;
  noAnswer: number;
  latencyMaxSeconds: number;
  unplannedExits: string[];
  problems: Record<string, number>;
  /** Warnings and errors the services logged meanwhile, grouped. */
  logs: Record<string, string[]>;
}

export interface ChaosResult {
  status: 'passed' | 'failed' | 'interrupted';
  error: string | null;
  startedAt: string;
  config: ChaosConfig;
  machine: MachineInfo;
  rows: WindowRow[];
  checks: Check[];
  exits: ServiceExitRecord[];
  restarts: Record<string, number>;
  keys: number;
}

const TERMINAL = new Set(['completed', 'rejected']);
const LOG_MESSAGES_PER_WINDOW = 6;

/** Byte offsets of each log file at each window's start, to cut the logs by fault afterwards. */
export type LogMarks = Record<string, number>[];

export function markLogs(files: Record<string, string>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(files).map(([name, file]) => [name, existsSync(file) ? statSync(file).size : 0]),
  );
}

function readSlice(file: string, from: number, to: number | undefined): string {
  if (!existsSync(file)) return '';
  const end = Math.min(to ?? Number.POSITIVE_INFINITY, statSync(file).size);
  if (end <= from) return '';
  const buffer = Buffer.alloc(end - from);
  const descriptor = openSync(file, 'r');
  try {
    readSync(descriptor, buffer, 0, buffer.length, from);
  } finally {
    closeSync(descriptor);
  }
  return buffer.toString('utf8');
}

export function buildRows(options: {
  windows: WindowStats[];
  faults: FaultResult[];
  keys: KeyRecord[];
  exits: ServiceExitRecord[];
  logFiles: Record<string, string>;
  logMarks: LogMarks;
}): WindowRow[] {
  const { windows, faults, keys, exits, logFiles, logMarks } = options;
  return windows.map((window, index) => {
    const fault = faults.find((candidate) => candidate.window === index);
    const own = keys.filter((key) => key.window === index);
    const accepted = own.filter((key) => key.paymentIds.length > 0);
    const terminal = accepted.filter((key) => TERMINAL.has(key.finalStatus ?? '')).length;
    const endMs = windows[index + 1]?.startMs ?? Number.POSITIVE_INFINITY;
    const logs = Object.fromEntries(
      Object.entries(logFiles).map(([name, file]) => [
        name,
        groupLogMessages(
          readSlice(file, logMarks[index]?.[name] ?? 0, logMarks[index + 1]?.[name]),
          LOG_MESSAGES_PER_WINDOW,
        ).map(({ level, message, count }) => `${count} x ${level}: ${message.split('\n')[0]}`),
      ]),
    );
    return {
      name: window.name,
      action: fault?.error ? `${fault.action} (failed: ${fault.error})` : (fault?.action ?? ''),
      faultSeconds: fault ? (fault.releasedMs - fault.injectedMs) / 1_000 : null,
      recoverySeconds: fault ? fault.recoverySeconds : null,
      readySeconds: fault ? fault.readySeconds : null,
      accepted: accepted.length,
      terminal,
      lost: accepted.length - terminal,
      duplicated: own.filter((key) => key.paymentIds.length > 1).length,
      serverErrors: window.serverErrors,
      noAnswer: window.noAnswer,
      latencyMaxSeconds: window.latencyMaxMs / 1_000,
      unplannedExits: exits
        .filter((exit) => !exit.planned && exit.atMs >= window.startMs && exit.atMs < endMs)
        .map((exit) => `${exit.service} ${exit.signal ?? `code ${exit.code}`}`),
      problems: window.problems,
      logs,
    };
  });
}

const seconds = (value: number | null, missing: string) =>
  value === null ? missing : value.toFixed(1);

export function formatTable(rows: WindowRow[]): string {
  const header = [
    'fault',
    'fault s',
    'recovery s',
    'ready s',
    'accepted',
    'terminal',
    'lost',
    'duplicated',
    '5xx',
    'no answer',
    'max POST s',
    'unplanned exits',
  ];
  const lines = rows.map((row) => [
    row.name,
    seconds(row.faultSeconds, ''),
    row.name === 'baseline' ? '' : seconds(row.recoverySeconds, 'NOT'),
    row.name === 'baseline' ? '' : seconds(row.readySeconds, 'NOT'),
    String(row.accepted),
    String(row.terminal),
    String(row.lost),
    String(row.duplicated),
    String(row.serverErrors),
    String(row.noAnswer),
    row.latencyMaxSeconds.toFixed(1),
    row.unplannedExits.join(', ') || '0',
  ]);
  const table = [header, header.map(() => '---'), ...lines];
  return table.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function formatDetails(result: ChaosResult): string {
  const out: string[] = [];
  for (const row of result.rows) {
    const problems = Object.entries(row.problems).map(([code, count]) => `${code} x${count}`);
    const logLines = Object.entries(row.logs).flatMap(([name, lines]) =>
      lines.map((line) => `    ${name}: ${line}`),
    );
    if (!row.action && problems.length === 0 && logLines.length === 0) continue;
    out.push(`${row.name}${row.action ? `: ${row.action}` : ''}`);
    if (problems.length > 0) out.push(`    answers: ${problems.join(', ')}`);
    out.push(...logLines);
  }
  out.push('', 'Checks:');
  for (const check of result.checks) {
    out.push(`  ${check.passed ? 'PASS' : 'FAIL'}  ${check.name}: ${check.detail}`);
  }
  return out.join('\n');
}

/** results/chaos-<time>.json, and the services' and the broker's logs beside it. */
export const RESULTS_PREFIX = 'chaos';
