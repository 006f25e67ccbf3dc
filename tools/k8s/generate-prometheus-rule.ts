// `npm run k8s:rules`: writes k8s/base/prometheus-rule.yaml (the PrometheusRule of the Prometheus
// Operator) from deploy/prometheus's rules file. Run from the repository's root.
import { writeFileSync } from 'node:fs';
import { PROMETHEUS_RULE_PATH, renderPrometheusRule } from './render-prometheus-rule';

writeFileSync(PROMETHEUS_RULE_PATH, renderPrometheusRule());
console.log(`wrote ${PROMETHEUS_RULE_PATH}`);
