import { readFileSync } from 'node:fs';

const SAMPLES_MAX = 5;
const SAMPLE_LENGTH_MAX = 300;
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

/** Counts the ledger's log lines (pino JSON) by level; lines that are not JSON count as `other`. */
export function summariseLog(file: string): LogSummary {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { file, linesByLevel: {}, samples: [] };
  }
  const linesByLevel: Record<string, number> = {};
  const samples = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let level = 'other';
    let message = line;
    try {
      // pino lines have numeric levels and `msg`; kafkajs' own logger writes `level: "ERROR"` and
      // `message`.
      const entry = JSON.parse(line) as {
        level?: number | string;
        msg?: string;
        message?: string;
        error?: string;
        err?: { message?: string };
        detail?: { message?: string };
      };
      level =
        typeof entry.level === 'number'
          ? (PINO_LEVELS[entry.level] ?? String(entry.level))
          : String(entry.level ?? 'other').toLowerCase();
      const cause = entry.err?.message ?? entry.detail?.message ?? entry.error;
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
