/** A row's value: one line, or several printed under each other. */
export type Row = [string, string | string[]];

export const number = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined
    ? 'n/a'
    : value.toLocaleString('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });

export function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, index * size + size),
  );
}

/** `NAME=value` pairs, a few to a line. */
export function settingLines(values: Record<string, string>, perLine = 2): string[] {
  return chunks(
    Object.entries(values).map(([name, value]) => `${name}=${value}`),
    perLine,
  ).map((group) => group.join(' '));
}

/** A titled block of `name  value` rows. */
export function section(title: string, rows: Row[]): string {
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = [title];
  for (const [name, value] of rows) {
    const [first, ...rest] = Array.isArray(value) ? value : [value];
    lines.push(`  ${name.padEnd(width)}  ${first}`);
    for (const line of rest) lines.push(`  ${''.padEnd(width)}  ${line}`);
  }
  return lines.join('\n');
}

/** Right-aligned columns under a header. */
export function columns(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    `  ${cells.map((cell, column) => cell.padStart(widths[column])).join('  ')}`;
  return [line(header), ...rows.map(line)];
}

/** `3 warn, 1 error` from a log's line counts, or `empty`. */
export function levelCounts(linesByLevel: Record<string, number>): string {
  return (
    Object.entries(linesByLevel)
      .map(([level, count]) => `${count} ${level}`)
      .join(', ') || 'empty'
  );
}
