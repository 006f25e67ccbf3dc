import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** ISO 8601 basic format (no colons), safe in a file name: 20250102T030405Z. */
export function fileTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** results/<prefix>-<time><suffix>, e.g. results/api-bench-20250102T030405Z.json. */
export function resultsFile(
  repoRoot: string,
  prefix: string,
  startedAt: Date,
  suffix: string,
): string {
  const directory = join(repoRoot, 'results');
  mkdirSync(directory, { recursive: true });
  return join(directory, `${prefix}-${fileTimestamp(startedAt)}${suffix}`);
}

export function writeJsonResult(
  repoRoot: string,
  prefix: string,
  result: unknown,
  startedAt: Date,
): string {
  const file = resultsFile(repoRoot, prefix, startedAt, '.json');
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** The temporary folder goes away: keep the logs beside the results, as <prefix>-<time>.<name>.log. */
export function keepLogFiles(
  repoRoot: string,
  prefix: string,
  logFiles: Record<string, string>,
  startedAt: Date,
): string[] {
  return Object.entries(logFiles)
    .filter(([, file]) => existsSync(file))
    .map(([name, file]) => {
      const kept = resultsFile(repoRoot, prefix, startedAt, `.${name}.log`);
      copyFileSync(file, kept);
      return kept;
    });
}
