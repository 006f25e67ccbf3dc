import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  COMMITTED_CONFIG,
  committedConfig,
} from '../../tools/prometheus/generate-prometheus-config';
import { RULES_FILE, rulesWithShortWaits } from '../../tools/prometheus/prometheus-config';

// The alert rules of deploy/prometheus: promtool's own checks and rule unit tests (Debian's
// prometheus package), a runbook per alert, and every alert exercised by a test that fires it.
const root = join(__dirname, '..', '..');
const testsDir = join(root, 'deploy', 'prometheus', 'tests');
const PROMTOOL = '/usr/bin/promtool';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleTest {
  alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }>;
}

const rulesText = readFileSync(join(root, RULES_FILE), 'utf8');
const rules = (parse(rulesText) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap(
  (group) => group.rules,
);
const alerts = rules.filter((rule) => rule.alert !== undefined);
const testFiles = readdirSync(testsDir).filter((file) => file.endsWith('.test.yml'));
const alertTests = testFiles.flatMap((file) =>
  (parse(readFileSync(join(testsDir, file), 'utf8')) as { tests: RuleTest[] }).tests.flatMap(
    (test) => test.alert_rule_test ?? [],
  ),
);

function promtool(...args: string[]) {
  const result = spawnSync(PROMTOOL, args, { cwd: root, encoding: 'utf8' });
  if (result.error)
    throw new Error(`${PROMTOOL}: ${result.error.message} (apt install prometheus)`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the alert rules (deploy/prometheus)', () => {
  it('pass promtool check rules', () => {
    const result = promtool('check', 'rules', RULES_FILE);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('pass their promtool unit tests (deploy/prometheus/tests)', () => {
    const result = promtool('test', 'rules', ...testFiles.map((file) => join(testsDir, file)));
    if (result.status !== 0) throw new Error(result.output);
    expect(result.output).not.toContain('FAILED');
  });

  it.each(alerts.map((alert) => [alert.alert!, alert]))(
    '%s has a severity, a summary, a description and a runbook that exists',
    (_name, alert) => {
      expect(['page', 'ticket']).toContain(alert.labels?.severity);
      expect(alert.annotations?.summary).toBeTruthy();
      expect(alert.annotations?.description).toBeTruthy();
      const runbook = alert.annotations?.runbook_url ?? '';
      expect(runbook).toMatch(/^docs\/runbooks\/[a-z0-9-]+\.md$/);
      expect(existsSync(join(root, runbook))).toBe(true);
      expect(readFileSync(join(root, runbook), 'utf8')).toContain(`# ${alert.alert}`);
    },
  );

  it.each(alerts.map((alert) => [alert.alert!]))('%s is tested both firing and silent', (name) => {
    const cases = alertTests.filter((test) => test.alertname === name);
    expect(cases.some((test) => (test.exp_alerts ?? []).length > 0)).toBe(true);
    expect(cases.some((test) => (test.exp_alerts ?? []).length === 0)).toBe(true);
  });

  it('have no runbook without its alert', () => {
    const linked = new Set(alerts.map((alert) => alert.annotations?.runbook_url));
    const runbooks = readdirSync(join(root, 'docs', 'runbooks')).map(
      (file) => `docs/runbooks/${file}`,
    );
    expect(runbooks.filter((file) => !linked.has(file))).toEqual([]);
  });

  it('keep expressions, labels and annotations in the short-wait copy the e2e test uses', () => {
    const short = parse(rulesWithShortWaits(rulesText, { forDuration: '5s', interval: '1s' })) as {
      groups: Array<{ interval: string; rules: Rule[] }>;
    };
    const copied = short.groups.flatMap((group) => group.rules);
    expect(short.groups.every((group) => group.interval === '1s')).toBe(true);
    expect(copied.map(({ for: _wait, ...rest }) => rest)).toEqual(
      rules.map(({ for: _wait, ...rest }) => rest),
    );
    expect(copied.filter((rule) => rule.alert).every((rule) => rule.for === '5s')).toBe(true);
  });
});

describe('the local Prometheus configuration (deploy/prometheus/prometheus.yml)', () => {
  it('is the one tools/prometheus generates for the default ports', () => {
    expect(readFileSync(join(root, COMMITTED_CONFIG), 'utf8')).toBe(committedConfig());
  });

  it('passes promtool check config (its rule files included)', () => {
    const result = promtool('check', 'config', COMMITTED_CONFIG);
    if (result.status !== 0) throw new Error(result.output);
    expect(result.output).toContain(
      `${alerts.length + rules.filter((r) => r.record).length} rules found`,
    );
  });
});
