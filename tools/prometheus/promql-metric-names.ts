// The metric names a PromQL expression reads, for checking rules and dashboards against the
// names the services really export. A small tokenizer rather than a PromQL parser: strings and
// label matchers are dropped, then every identifier that is not a function, a keyword, a
// grouping label list or a recorded series (`level:metric:operations`) is a metric name.
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'inf',
  'nan',
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
  'group',
]);
const GROUPING = /\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g;

/** Names read by the expression, without Grafana's `$variables` and recording rules' outputs. */
export function metricNamesIn(expression: string): string[] {
  const stripped = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(GROUPING, '')
    .replace(/\$\{?\w+\}?/g, '');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = match[0];
    const next = stripped.slice(match.index + word.length).trimStart();
    if (next.startsWith('(') || KEYWORDS.has(word.toLowerCase())) continue;
    if (/^\d/.test(stripped[match.index - 1] ?? '')) continue;
    if (word.includes(':')) continue;
    names.add(word);
  }
  return [...names].sort();
}

/** The series names a /metrics exposition holds (histograms as _bucket, _sum and _count). */
export function exportedSeriesNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const name = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(line)?.[0];
    if (name) names.add(name);
  }
  return names;
}

/** The metric families a /metrics exposition declares (`# TYPE name kind`), even without samples. */
export function declaredFamilies(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const match of exposition.matchAll(/^# TYPE ([A-Za-z_:][A-Za-z0-9_:]*) \w+$/gm)) {
    names.add(match[1]);
  }
  return names;
}

/** A histogram's or summary's series name back to its family: `x_bucket` -> `x`. */
function familyOf(name: string, families: Set<string>): string {
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return families.has(base) ? base : name;
}

export interface NamesReport {
  /** Every name the expressions read, with where it is read. */
  used: Map<string, string[]>;
  missing: string[];
}

/**
 * Which names read by the expressions no service declares. `up` and other series Prometheus
 * makes itself are never missing.
 */
export function missingMetricNames(
  expressions: ReadonlyArray<{ where: string; expression: string }>,
  expositions: readonly string[],
): NamesReport {
  const families = new Set(expositions.flatMap((text) => [...declaredFamilies(text)]));
  const series = new Set(expositions.flatMap((text) => [...exportedSeriesNames(text)]));
  const used = new Map<string, string[]>();
  for (const { where, expression } of expressions) {
    for (const name of metricNamesIn(expression)) {
      used.set(name, [...(used.get(name) ?? []), where]);
    }
  }
  const generated = new Set([
    'up',
    'ALERTS',
    'ALERTS_FOR_STATE',
    'scrape_duration_seconds',
    'scrape_samples_scraped',
  ]);
  const missing = [...used.keys()].filter(
    (name) => !generated.has(name) && !series.has(name) && !families.has(familyOf(name, families)),
  );
  return { used, missing: missing.sort() };
}
