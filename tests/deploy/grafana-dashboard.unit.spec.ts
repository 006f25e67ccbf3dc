import { join } from 'node:path';
import ts from 'typescript';
import {
  DASHBOARD_FILE,
  dashboardExpressions,
  readDashboard,
} from '../support/observability-expressions';

// deploy/grafana/payments.json against the dashboard schema of @grafana/schema (its generated
// `Dashboard` type, checked by the TypeScript compiler on the JSON as an object literal, so
// unknown fields, wrong types and missing required ones are errors), and its layout.
jest.setTimeout(60_000);
const root = join(__dirname, '..', '..');

/** String enums accept their values as written in JSON; everything else as declared. */
const CHECK_SOURCE = (json: string) => `
import type { Dashboard } from '@grafana/schema';
type Json<T> = T extends string
  ? \`\${T}\`
  : T extends number | boolean | null | undefined
    ? T
    : T extends Array<infer U>
      ? Array<Json<U>>
      : T extends object
        ? { [K in keyof T]: Json<T[K]> }
        : T;
export const dashboard: Json<Dashboard> = ${json};
`;

function schemaErrors(json: string): string[] {
  const file = join(root, 'tests', 'deploy', '__dashboard-check.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2022,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === file ? CHECK_SOURCE(json) : readFile(name));
  host.fileExists = (
    (exists) => (name: string) =>
      name === file || exists(name)
  )(host.fileExists.bind(host));
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe(`the Grafana dashboard (${DASHBOARD_FILE})`, () => {
  const dashboard = readDashboard() as ReturnType<typeof readDashboard> & Record<string, unknown>;

  it('is a Dashboard of @grafana/schema', () => {
    expect(schemaErrors(JSON.stringify(dashboard, null, 2))).toEqual([]);
  });

  it('is refused by the same check when a field is misspelt or mistyped', () => {
    const broken = structuredClone(dashboard);
    (broken.panels[1] as unknown as Record<string, unknown>).gridpos = { h: 1 };
    (broken as Record<string, unknown>).schemaVersion = '39';
    const errors = schemaErrors(JSON.stringify(broken));
    expect(errors.join('\n')).toMatch(/gridpos/);
    expect(errors.join('\n')).toMatch(/schemaVersion|string' is not assignable to type 'number/);
  });

  it('has unique panel ids and panels inside the 24-column grid, not overlapping', () => {
    const panels = dashboard.panels as unknown as Array<{
      id: number;
      gridPos: { x: number; y: number; w: number; h: number };
    }>;
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    for (const [index, { gridPos: a }] of panels.entries()) {
      expect(a.x + a.w).toBeLessThanOrEqual(24);
      for (const { gridPos: b } of panels.slice(index + 1)) {
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
        expect(apart).toBe(true);
      }
    }
  });

  it('queries the chosen Prometheus data source, every panel with an expression', () => {
    const queryPanels = (dashboard.panels as unknown as Array<Record<string, any>>).filter(
      (panel) => panel.type !== 'row',
    );
    for (const panel of queryPanels) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets.length).toBeGreaterThan(0);
    }
    expect(dashboardExpressions().every(({ expression }) => expression.length > 0)).toBe(true);
  });

  it.each([
    ['rates', /rate\(payments_total/],
    ['p50/p95/p99', /histogram_quantile\(0\.99, sum by \(kind, le\)/],
    ['lag', /kafka_consumer_lag_messages/],
    ['partner health', /partner_breaker_state/],
    ['reconciliation', /reconciler_match_rate_ratio/],
    ['invariants', /ledger_invariant_violated/],
  ])('shows %s', (_what, pattern) => {
    expect(dashboardExpressions().some(({ expression }) => pattern.test(expression))).toBe(true);
  });
});
