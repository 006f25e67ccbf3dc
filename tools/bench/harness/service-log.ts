import { readFileSync } from 'node:fs';

const SAMPLES_MAX = 5;
const SAMPLE_LENGTH_MAX = 300;
const MESSAGES_MAX = 8;
const MESSAGE_LENGTH_MAX = 160;
const PINO_LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

export interface LogSummary {
  file: string;
  linesByLevel: Record<string, number>;
  /** The first few distinct warning or error messages. */
  samples: string[];
}

export interface ServiceLogSummary extends LogSummary {
  /** Warnings and errors grouped by message (partition numbers folded) and error code. */
  messages: { level: string; message: string; count: number }[];
}

/** pino lines have numeric levels and `msg`; kafkajs' own logger writes `level: "ERROR"`. */
interface LogLine {
  level?: number | string;
  msg?: string;
  message?: string;
  err?: { message?: string };
  detail?: { code?: unknown; message?: unknown };
  /** kafkajs: the broker's error as text; pino: the serialised error. */
  error?: string | { code?: unknown; type?: unknown };
}

function levelOf(entry: LogLine): string {
  return typeof entry.level === 'number'
    ? (PINO_LEVELS[entry.level] ?? String(entry.level))
    : String(entry.level ?? 'other').toLowerCase();
}

function readLog(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Counts a service's log lines (pino JSON) by level; lines that are not JSON count as `other`. */
export function summariseLog(file: string): LogSummary {
  const text = readLog(file) ?? '';
  const linesByLevel: Record<string, number> = {};
  const samples = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let level = 'other';
    let message = line;
    try {
      const entry = JSON.parse(line) as LogLine;
      level = levelOf(entry);
      const detail = entry.detail?.message as string | undefined;
      const cause = entry.err?.message ?? detail ?? (entry.error as string | undefined);
      message = [entry.msg ?? entry.message, cause].filter(Boolean).join(': ') || line;
    } catch {
      // A stack trace or console output: keep it as written.
    }
    linesByLevel[level] = (linesByLevel[level] ?? 0) + 1;
    if (level !== 'info' && level !== 'debug' && samples.size < SAMPLES_MAX) {
      samples.add(`${level}: ${message.slice(0, SAMPLE_LENGTH_MAX)}`);
    }
  }
  return { file, linesByLevel, samples: [...samples] };
}

/**
 * The line counts, plus the JSON lines grouped: a run writes the same few warnings thousands of
 * times, and multi-line console output (a failed query printed by TypeORM) would otherwise fill
 * the samples with fragments.
 */
export function summariseServiceLog(file: string): ServiceLogSummary {
  const summary = summariseLog(file);
  const text = readLog(file);
  return { ...summary, messages: text === null ? [] : groupLogMessages(text) };
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
    const level = levelOf(entry);
    if (level === 'info' || level === 'debug' || level === 'trace') continue;
    const message = groupedMessage(entry);
    const key = `${level} ${message}`;
    const group = groups.get(key) ?? { level, message, count: 0 };
    group.count += 1;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count).slice(0, messagesMax);
}

function groupedMessage(entry: LogLine): string {
  const error = typeof entry.error === 'string' ? { text: entry.error } : entry.error;
  const code =
    entry.detail?.code ?? (error && !('text' in error) ? (error.code ?? error.type) : undefined);
  const errorText = error && 'text' in error ? error.text : undefined;
  const reason = [entry.msg ?? entry.message, errorText].filter(Boolean).join(': ');
  return (
    `${reason.replace(/\[\d+\]/g, '[N]').slice(0, MESSAGE_LENGTH_MAX)}` +
    `${code ? ` (code ${String(code)})` : ''}`
  );
}
