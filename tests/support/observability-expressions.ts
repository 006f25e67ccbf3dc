import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { RULES_FILE } from '../../tools/prometheus/prometheus-config';

// Every PromQL expression the operations artefacts read: the alert and recording rules of
// deploy/prometheus and the Grafana dashboard's queries and annotations.
const root = join(__dirname, '..', '..');
export const DASHBOARD_FILE = join('deploy', 'grafana', 'payments.json');

export interface Expression {
  where: string;
  expression: string;
}

interface DashboardPanel {
  id: number;
  title?: string;
  type: string;
  panels?: DashboardPanel[];
  targets?: Array<{ refId: string; expr?: string }>;
}

export interface DashboardJson {
  panels: DashboardPanel[];
  annotations?: { list?: Array<{ name: string; target?: { expr?: string } }> };
}

export const readDashboard = () =>
  JSON.parse(readFileSync(join(root, DASHBOARD_FILE), 'utf8')) as DashboardJson;

export function ruleExpressions(): Expression[] {
  const rules = parse(readFileSync(join(root, RULES_FILE), 'utf8')) as {
    groups: Array<{ rules: Array<{ alert?: string; record?: string; expr: string }> }>;
  };
  return rules.groups.flatMap((group) =>
    group.rules.map((rule) => ({
      where: `rule ${rule.alert ?? rule.record}`,
      expression: rule.expr,
    })),
  );
}

export function dashboardExpressions(dashboard = readDashboard()): Expression[] {
  const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
  const queries = panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      where: `panel ${panel.id} "${panel.title}" ${target.refId}`,
      expression: target.expr ?? '',
    })),
  );
  const annotations = (dashboard.annotations?.list ?? [])
    .filter((annotation) => annotation.target?.expr)
    .map((annotation) => ({
      where: `annotation ${annotation.name}`,
      expression: annotation.target!.expr!,
    }));
  return [...queries, ...annotations];
}
