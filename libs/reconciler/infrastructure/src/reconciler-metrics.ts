import { Counter, Gauge, Histogram, register } from 'prom-client';

/**
 * The reconciler's metrics. Labels are bounded: partner, rule label, class, currency, age bucket;
 * never an id. Open exceptions by age and the amount at risk are read from the database when
 * scraped (see `ReconcilerRuntime`), so every replica reports the same truth.
 */
export const reconcilerMetrics = {
  matchRate: new Gauge({
    name: 'reconciler_match_rate_ratio',
    help: 'Matched lines over all lines of the last run of a partner',
    labelNames: ['partner'] as const,
    registers: [register],
  }),
  ruleMatchRate: new Gauge({
    name: 'reconciler_rule_match_ratio',
    help: 'Share of the last run lines matched by each rule (ruleId@version)',
    labelNames: ['partner', 'rule'] as const,
    registers: [register],
  }),
  runLines: new Counter({
    name: 'reconciler_run_lines_total',
    help: 'Statement lines and records classified by runs, by class',
    labelNames: ['partner', 'class'] as const,
    registers: [register],
  }),
  runs: new Counter({
    name: 'reconciler_runs_total',
    help: 'Reconciliation runs by trigger, and whether they found something new',
    labelNames: ['partner', 'trigger', 'new'] as const,
    registers: [register],
  }),
  runSeconds: new Histogram({
    name: 'reconciler_run_seconds',
    help: 'Duration of a reconciliation run (load, match, store)',
    labelNames: ['partner'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 60],
    registers: [register],
  }),
  resolutionSeconds: new Histogram({
    name: 'reconciler_resolution_seconds',
    help: 'Time from an exception opened to its resolution, by class',
    labelNames: ['class'] as const,
    buckets: [60, 600, 3_600, 4 * 3_600, 86_400, 3 * 86_400, 7 * 86_400, 30 * 86_400],
    registers: [register],
  }),
  reviewActions: new Counter({
    name: 'reconciler_review_actions_total',
    help: 'Review commands by type and outcome (proposed, approved, declined, refused)',
    labelNames: ['action', 'outcome'] as const,
    registers: [register],
  }),
};

export const AGE_BUCKETS = [
  { label: 'lt_1d', maxSeconds: 86_400 },
  { label: '1d_3d', maxSeconds: 3 * 86_400 },
  { label: '3d_7d', maxSeconds: 7 * 86_400 },
  { label: 'gt_7d', maxSeconds: Number.POSITIVE_INFINITY },
] as const;

type GaugeQuery = (sql: string) => Promise<Record<string, string>[]>;
let gaugeQuery: GaugeQuery | null = null;
let gauges: Gauge<string>[] | null = null;

/** Gauges computed from the database on scrape (registered once; the latest runtime's pool). */
export function databaseGauges(source: GaugeQuery): Gauge<string>[] {
  gaugeQuery = source;
  gauges ??= createDatabaseGauges((sql) => (gaugeQuery ? gaugeQuery(sql) : Promise.resolve([])));
  return gauges;
}

function createDatabaseGauges(query: GaugeQuery): Gauge<string>[] {
  const open = new Gauge({
    name: 'reconciler_exceptions_open',
    help: 'Open exceptions by class and age bucket (lt_1d, 1d_3d, 3d_7d, gt_7d)',
    labelNames: ['class', 'age'] as const,
    registers: [register],
    async collect() {
      const rows = await query(
        `SELECT exception_class, CASE
           WHEN opened_at > now() - interval '1 day' THEN 'lt_1d'
           WHEN opened_at > now() - interval '3 days' THEN '1d_3d'
           WHEN opened_at > now() - interval '7 days' THEN '3d_7d' ELSE 'gt_7d' END AS age,
           count(*)::text AS n
         FROM reconciler.exceptions WHERE status = 'open' GROUP BY 1, 2`,
      );
      this.reset();
      for (const row of rows) this.set({ class: row.exception_class, age: row.age }, Number(row.n));
    },
  });
  const atRisk = new Gauge({
    name: 'reconciler_amount_at_risk_minor',
    help: 'Value of the open exceptions (unmatched entries, differences) per currency, minor units',
    labelNames: ['currency'] as const,
    registers: [register],
    async collect() {
      const rows = await query(
        `SELECT currency, sum(amount_at_risk_minor)::text AS total FROM reconciler.exceptions
         WHERE status = 'open' GROUP BY currency`,
      );
      this.reset();
      for (const row of rows) this.set({ currency: row.currency.trim() }, Number(row.total));
    },
  });
  return [open, atRisk];
}
