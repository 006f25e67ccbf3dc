// Copied from tools/bench/report-table.ts, which does not export them: the two helpers only.

export const number = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined
    ? 'n/a'
    : value.toLocaleString('en-US',
      { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A titled block of `name  value` rows (the same layout as the ledger benchmark's table). */
export function section(title: string, rows: [string, string | string[]][]): string {
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = [title];
  for (const [name, value] of rows) {
    const [first, ...rest] = Array.isArray(value) ? value : [value];
    lines.push(`  ${name.padEnd(width)}  ${first}`);
    for (const line of rest) lines.push(`  ${''.padEnd(width)}  ${line}`);
  }
  return lines.join('\n');
}
