import { readFileSync } from 'node:fs';
import { LogSummary, summariseLog } from '../bench/ledger-log';

export interface ServiceLogSummary extends LogSummary {
  /** Warnings and errors grouped by message (partition numbers folded) and error code. */
  messages: { level: string; message: string; count: number }[];
}

const MESSAGES_MAX = 8;
const MESSAGE_LENGTH_MAX = 160;
const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

interface LogLine {
  level?: number | string;
  msg?: string;
  message?: string;
  detail?: { code?: unknown; message?: unknown };
  /** kafkajs: the broker's error as text; pino: the serialised error. */
  error?: string | { code?: unknown; type?: unknown };
}

/**
 * The ledger benchmark's line counts, plus the JSON lines grouped: a run writes the same few
 * warnings thousands of times, and multi-line console output (a failed query printed by TypeORM)
 * would otherwise fill the samples with fragments.
 */
export function summariseServiceLog(file: string): ServiceLogSummary {
  const summary = summariseLog(file);
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { ...summary, messages: [] };
  }
  return { ...summary, messages: groupLogMessages(text) };
}

/** The warnings and errors among pino/kafkajs JSON lines, grouped, most frequent first. */
export function groupLogMessages(
  text: string,
  messagesMax = MESSAGES_MAX,
): ServiceLogSummary['messages'] {
  const groups = new Map<string, { level: string; message: string; count: number }>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: LogLine;
    try {
      entry = JSON.parse(line) as LogLine;
    } catch {
      continue;
    }
    const level =
      typeof entry.level === 'number'
        ? (LEVELS[entry.level] ?? String(entry.level))
        : String(entry.level ?? 'other').toLowerCase();
    if (level === 'info' || level === 'debug' || level === 'trace') continue;
    const error = typeof entry.error === 'string' ? { text: entry.error } : entry.error;
    const code =
      entry.detail?.code ?? (error && !('text' in error) ? (error.code ?? error.type) : undefined);
    const errorText = error && 'text' in error ? error.text : undefined;
    const reason = [entry.msg ?? entry.message, errorText].filter(Boolean).join(': ');
    const message =
      `${reason.replace(/\[\d+\]/g, '[N]').slice(0, MESSAGE_LENGTH_MAX)}` +
      `${code ? ` (code ${String(code)})` : ''}`;
    const key = `${level} ${message}`;
    const group = groups.get(key) ?? { level, message, count: 0 };
    group.count += 1;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count).slice(0, messagesMax);
}
