import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Producer } from 'kafkajs';
import { LedgerCommands, connectProducer } from '../support/ledger-commands';
import { LedgerDatabase } from '../support/ledger-database';
import { Platform } from '../support/platform';

// The ledger's continuous invariants (issue #12, item 2): gauges kept from its committed batches,
// never a scan per scrape, that agree with the figures `npm run verify` recomputes from the tables.
jest.setTimeout(180_000);

const INVARIANTS = [
  'entries_sum_zero',
  'transit_equals_in_flight',
  'no_negative_available',
  'holds_within_posted',
];

/** `name{labels} value` lines of a Prometheus text page, for one metric name. */
function samples(page: string, name: string): { labels: string; value: number }[] {
  return page
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => {
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      return { labels: line.slice(name.length, line.lastIndexOf(' ')), value };
    });
}

const forCurrency = (page: string, name: string, currency: string) =>
  samples(page, name).find((sample) => sample.labels.includes(`currency="${currency}"`))?.value;

describe("the ledger's invariant gauges", () => {
  const platform = new Platform();
  const database = new LedgerDatabase();
  let producer: Producer;
  let commands: LedgerCommands;

  const metrics = async () =>
    (await fetch(`http://127.0.0.1:${platform.port('ledger')}/metrics`)).text();

  /** What verify computes: per currency, entries' sum, transit's balance and money in flight. */
  async function recomputed(currency: string) {
    const [row] = await database.rows<Record<string, string>>(
      `SELECT
         (SELECT COALESCE(sum(amount_minor), 0) FROM ledger.entries WHERE currency = $1)::text AS entries,
         (SELECT COALESCE(sum(posted_minor), 0) FROM ledger.accounts
           WHERE kind = 'transit' AND currency = $1)::text AS transit,
         (SELECT COALESCE(sum(CASE type WHEN 'TransferDebited' THEN (data->>'amountMinor')::numeric
                   ELSE -(data->>'amountMinor')::numeric END), 0)
            FROM ledger.events WHERE data->>'currency' = $1
              AND type IN ('TransferDebited', 'TransferCompleted', 'TransferRefunded'))::text AS flight`,
      [currency],
    );
    return {
      entries: Number(row.entries),
      transit: Number(row.transit),
      flight: Number(row.flight),
    };
  }

  async function settled(ids: string[]): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [{ count }] = await database.rows<{ count: string }>(
        `SELECT count(DISTINCT data->>'paymentId') AS count FROM ledger.events
         WHERE data->>'paymentId' = ANY($1::text[])
           AND type IN ('TransferCompleted', 'TransferRejected', 'TransferRefunded')`,
        [ids],
      );
      if (Number(count) === ids.length) return;
      if (Date.now() > deadline) throw new Error('transfers not settled');
      await sleep(200);
    }
  }

  beforeAll(async () => {
    await database.connect();
    ({ producer } = await connectProducer('test-invariant-gauges'));
    commands = new LedgerCommands(producer);
    await platform.start('ledger');
  });

  afterAll(async () => {
    await producer?.disconnect();
    await platform.stopAll();
    await database.end();
  });

  it('hold at every scrape and agree with the tables after a mixed run', async () => {
    const accounts = Array.from({ length: 6 }, () => `acct-${randomUUID()}`);
    await commands.send(accounts.map((id) => commands.openAccount(id)));
    const deposits = accounts.map((id) => commands.deposit(id, '10000'));
    await commands.send(deposits.map((deposit) => deposit.message));
    await sleep(500);
    // Transfers across partitions (through transit), some refused for funds, in several batches.
    const transfers = accounts.flatMap((source, index) =>
      [1, 2, 3].map((step) =>
        commands.transfer(
          source,
          accounts[(index + step) % accounts.length],
          step === 3 ? '999999' : String(100 * step),
        ),
      ),
    );
    for (const transfer of transfers) {
      await commands.send([transfer.message]);
      const page = await metrics();
      for (const invariant of INVARIANTS) {
        expect([
          invariant,
          samples(page, 'ledger_invariant_violated').find((s) =>
            s.labels.includes(`invariant="${invariant}"`),
          )?.value,
        ]).toEqual([invariant, 0]);
      }
    }
    await settled(transfers.map((transfer) => transfer.paymentId));
    // Once every transfer is settled, the gauges equal what verify recomputes from the tables.
    const page = await metrics();
    const truth = await recomputed('EUR');
    expect({
      entries: forCurrency(page, 'ledger_entries_sum_minor', 'EUR'),
      transit: forCurrency(page, 'ledger_transit_balance_minor', 'EUR'),
      flight: forCurrency(page, 'ledger_money_in_flight_minor', 'EUR'),
    }).toEqual(truth);
    expect(truth.entries).toBe(0);
    expect(truth.transit).toBe(truth.flight);
    for (const invariant of INVARIANTS) {
      expect(
        samples(page, 'ledger_invariant_violated').find((s) =>
          s.labels.includes(`invariant="${invariant}"`),
        )?.value,
      ).toBe(0);
    }
  });
});
