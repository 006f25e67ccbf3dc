import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import {
  LEDGER_INVARIANTS,
  LedgerInvariants,
  LedgerInvariantsStart,
} from '@rtp/ledger/application';
import { OUTBOX_BACKLOG_COUNTED_MAX, OutboxBacklog } from '@rtp/shared/kafka';

let current: LedgerInvariants | null = null;

/** The invariants the gauges report (the running ledger's; null before it started). */
export function observeLedgerInvariants(invariants: LedgerInvariants | null): void {
  current = invariants;
}

const violatedGauge = new Gauge({
  name: 'ledger_invariant_violated',
  help: '1 while a continuous invariant is broken (kept from committed batches, not a scan)',
  labelNames: ['invariant'] as const,
  collect() {
    this.reset();
    if (!current) return;
    const violated = current.violated();
    for (const invariant of LEDGER_INVARIANTS) this.set({ invariant }, violated[invariant] ? 1 : 0);
  },
});

function figureGauge(
  name: string,
  help: string,
  pick: (figures: ReturnType<LedgerInvariants['currencies']>[number]) => bigint,
): Gauge {
  return new Gauge({
    name,
    help,
    labelNames: ['currency'] as const,
    collect() {
      this.reset();
      for (const figures of current?.currencies() ?? []) {
        this.set({ currency: figures.currency }, Number(pick(figures)));
      }
    },
  });
}

void violatedGauge;
figureGauge(
  'ledger_entries_sum_minor',
  'Sum of all entries per currency (0 by double entry)',
  (f) => f.entriesSumMinor,
);
figureGauge(
  'ledger_transit_balance_minor',
  'Balance of the transit shards per currency',
  (f) => f.transitMinor,
);
figureGauge(
  'ledger_money_in_flight_minor',
  'Transfers debited but not yet credited or refunded, per currency',
  (f) => f.inFlightMinor,
);

const sums = (rows: { currency: string; total: string }[]) =>
  new Map(rows.map((row) => [row.currency.trim(), BigInt(row.total)]));

/**
 * The invariants' figures as the database holds them: read once at start, before the consumers
 * run, in one snapshot (the same sums `npm run verify` checks; the entries' sum is a full scan,
 * paid once per start, never per scrape).
 */
export async function readInvariantsStart(dataSource: DataSource): Promise<LedgerInvariantsStart> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const entries = await runner.query(
      'SELECT currency, sum(amount_minor)::text AS total FROM ledger.entries GROUP BY currency',
    );
    const transit = await runner.query(
      `SELECT currency, sum(posted_minor)::text AS total FROM ledger.accounts
       WHERE kind = 'transit' GROUP BY currency`,
    );
    const inFlight = await runner.query(
      `SELECT data->>'currency' AS currency,
              sum(CASE type WHEN 'TransferDebited' THEN (data->>'amountMinor')::numeric
                            ELSE -(data->>'amountMinor')::numeric END)::text AS total
       FROM ledger.events WHERE type IN ('TransferDebited', 'TransferCompleted', 'TransferRefunded')
       GROUP BY data->>'currency'`,
    );
    const negative = await runner.query(
      `SELECT account_id FROM ledger.accounts WHERE overdraft_limit_minor IS NOT NULL
         AND posted_minor - pending_minor < -overdraft_limit_minor`,
    );
    const holds = await runner.query(
      `SELECT a.account_id FROM ledger.accounts a
       LEFT JOIN (SELECT account_id, sum(amount_minor) AS total FROM ledger.holds h
                  WHERE NOT EXISTS (SELECT 1 FROM ledger.hold_outcomes o WHERE o.hold_id = h.hold_id)
                  GROUP BY account_id) h USING (account_id)
       WHERE a.pending_minor <> COALESCE(h.total, 0) OR (a.overdraft_limit_minor IS NOT NULL
         AND a.pending_minor > a.posted_minor + a.overdraft_limit_minor)`,
    );
    await runner.query('COMMIT');
    return {
      entriesSumMinor: sums(entries),
      transitMinor: sums(transit),
      inFlightMinor: sums(inFlight),
      negativeAvailable: negative.map((row: { account_id: string }) => row.account_id),
      holdsBeyondPosted: holds.map((row: { account_id: string }) => row.account_id),
    };
  } finally {
    await runner.release();
  }
}

/**
 * The ledger's unpublished messages: outbox rows and events past each partition's published
 * position, read per partition through the (partition, position) indexes, each bounded (a
 * partition that never published yet has no position row and is not counted).
 */
export function ledgerOutboxBacklog(dataSource: DataSource): () => Promise<OutboxBacklog> {
  return async () => {
    const [row] = await dataSource.query(
      `WITH unpublished AS (
         SELECT u.created_at FROM ledger.outbox_positions p CROSS JOIN LATERAL (
           SELECT o.created_at FROM ledger.outbox o WHERE o.source_partition = p.source_partition
             AND o.outbox_id > p.published_through ORDER BY o.outbox_id LIMIT $1) u
         UNION ALL
         SELECT u.recorded_at FROM ledger.outbox_positions p CROSS JOIN LATERAL (
           SELECT e.recorded_at FROM ledger.events e WHERE e.source_partition = p.source_partition
             AND e.publication_position > p.events_published_through
           ORDER BY e.publication_position LIMIT $1) u)
       SELECT count(*) AS messages,
              COALESCE(extract(epoch FROM now() - min(created_at)), 0) AS oldest_seconds
       FROM unpublished`,
      [OUTBOX_BACKLOG_COUNTED_MAX],
    );
    return {
      messages: Number(row.messages),
      oldestSeconds: Math.max(0, Number(row.oldest_seconds)),
    };
  };
}
