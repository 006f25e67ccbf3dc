import { Counter, Gauge, Histogram, register } from 'prom-client';

/** The ledger's own metrics; `npm run bench:ledger` reads them from /metrics. */
export const ledgerMetrics = {
  batchCommitSeconds: new Histogram({
    name: 'ledger_batch_commit_seconds',
    help: 'Time to decide and commit one batch of one partition (database transaction included)',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5],
    registers: [register],
  }),
  batchSize: new Histogram({
    name: 'ledger_batch_size',
    help: 'Commands per committed batch',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
    registers: [register],
  }),
  commands: new Counter({
    name: 'ledger_commands_total',
    help: 'Commands consumed, by result (applied, duplicate, dead_letter)',
    labelNames: ['result'],
    registers: [register],
  }),
  accountsCached: new Gauge({
    name: 'ledger_accounts_cached',
    help: 'Accounts held in memory over the partitions this process owns (bounded by LEDGER_ACCOUNTS_CACHED_MAX)',
    registers: [register],
  }),
  accountsEvicted: new Counter({
    name: 'ledger_accounts_evicted_total',
    help: 'Accounts forgotten from memory, least recently used first, to stay within the bound',
    registers: [register],
  }),
  outboxFailures: new Counter({
    name: 'ledger_outbox_failures_total',
    help: 'Failed sends or recordings of published positions no batch waited for (all retried)',
    registers: [register],
  }),
  fenced: new Counter({
    name: 'ledger_partition_fenced_total',
    help: 'Batches refused because another consumer had moved the partition offset',
    registers: [register],
  }),
};
