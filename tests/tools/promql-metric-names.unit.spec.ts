import { metricNamesIn, missingMetricNames } from '../../tools/prometheus/promql-metric-names';

describe('the metric names a PromQL expression reads', () => {
  it.each([
    ['up == 0', ['up']],
    [
      'sum by (kind) (rate(payments_total{outcome=~"failed|returned"}[10m])) / sum by (kind) (rate(payments_total[10m]))',
      ['payments_total'],
    ],
    [
      'histogram_quantile(0.95, sum by (partner, call_kind, le) (rate(partner_call_seconds_bucket[5m])))',
      ['partner_call_seconds_bucket'],
    ],
    [
      'payments:rate30m < 0.5 * payments:rate30m:baseline and on (kind) payments:rate30m:baseline > 0.05',
      [],
    ],
    [
      'label_replace(sum by (kind) (rate(payments_total[30m] offset 1d)), "window", "1d", "", "")',
      ['payments_total'],
    ],
    ['sum(x_total) unless sum(x_total offset 15m) or vector(1e3) > bool 2', ['x_total']],
    [
      'sum(rate(http_requests_total{service=~"$service"}[$__rate_interval]))',
      ['http_requests_total'],
    ],
    [
      'a_total * on (group) group_left (topic) b_messages + ignoring (partition) c_seconds',
      ['a_total', 'b_messages', 'c_seconds'],
    ],
  ])('%s', (expression, names) => {
    expect(metricNamesIn(expression)).toEqual(names);
  });
});

describe('names no service declares', () => {
  const exposition = [
    '# HELP partner_call_seconds Calls',
    '# TYPE partner_call_seconds histogram',
    'partner_call_seconds_bucket{le="1"} 3',
    '# HELP partner_payouts_escalated_total Escalations',
    '# TYPE partner_payouts_escalated_total counter',
    '# TYPE ledger_batch_size histogram',
  ].join('\n');

  it('finds histograms by family, counters declared without samples, and not up', () => {
    const report = missingMetricNames(
      [
        { where: 'rule A', expression: 'rate(partner_call_seconds_count[5m])' },
        { where: 'rule B', expression: 'increase(partner_payouts_escalated_total[5m]) + up' },
        { where: 'panel 3', expression: 'ledger_batch_size_bucket + kafka_consumer_lag_messages' },
        { where: 'rule C', expression: 'kafka_consumer_lag_messages > 5' },
      ],
      [exposition],
    );
    expect(report.missing).toEqual(['kafka_consumer_lag_messages']);
    expect(report.used.get('kafka_consumer_lag_messages')).toEqual(['panel 3', 'rule C']);
  });
});
