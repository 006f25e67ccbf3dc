import { parseAllDocuments } from 'yaml';
import {
  PROMETHEUS_RULE_PATH,
  readRuleGroups,
  renderPrometheusRule,
} from '../../tools/k8s/render-prometheus-rule';
import { readRepositoryFile } from './deployed-apps';
import { OVERLAYS, named, render } from './rendered-manifests';

describe('the committed PrometheusRule', () => {
  it('is what `npm run k8s:rules` writes from deploy/prometheus', () => {
    expect(readRepositoryFile(PROMETHEUS_RULE_PATH)).toBe(renderPrometheusRule());
  });

  it('holds exactly the groups of the rules file, alerts and recording rules alike', () => {
    const [rule] = parseAllDocuments(readRepositoryFile(PROMETHEUS_RULE_PATH)).map((document) =>
      document.toJS(),
    );
    expect(rule.spec.groups).toEqual(readRuleGroups().groups);
    expect(rule.spec.groups.flatMap((group: { rules: unknown[] }) => group.rules)).not.toEqual([]);
  });
});

describe.each(OVERLAYS)('k8s/overlays/%s', (overlay) => {
  it('applies the PrometheusRule, labelled for a Prometheus to select it', () => {
    const rule = named(render(overlay), 'PrometheusRule', 'payments');
    expect(rule?.metadata.labels?.['app.kubernetes.io/part-of']).toBe('realtime-payments');
    expect(rule?.spec.groups).toEqual(readRuleGroups().groups);
  });
});
