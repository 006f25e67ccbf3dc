import { Client } from 'pg';
import { useProjectionHarness } from '../support/gateway-projection';
import {
  completed,
  debited,
  deposit,
  frozen,
  opened,
  paymentId,
  withoutUpdatedAt,
} from '../support/gateway-projection-events';

jest.setTimeout(120_000);

const PAYMENTS = 40;

describe('GatewayProjectionWorker against PostgreSQL', () => {
  const harness = useProjectionHarness();

  describe('when the legs of many transfers are projected by two transactions at once', () => {
    it('completes every payment without a deadlock and wakes its requests', async () => {
      await harness.project([0, [opened('a')]], [1, [opened('b')]]);
      expect(await harness.takeNotified()).toEqual(['a', 'b']);
      const indexes = [...Array(PAYMENTS).keys()];
      // As accepted: a row per payment, processing.
      await harness.dataSource.query(
        `INSERT INTO gateway.payments (payment_id, kind, client_id, source_account_id,
           destination_account_id, amount_minor, currency, status, created_at, updated_at)
         SELECT id, 'transfer', 'acme', 'a', 'b', 10, 'EUR', 'processing', now(), now()
         FROM unnest($1::text[]) AS id`,
        [indexes.map(paymentId)],
      );
      // A row in the middle held, so that both transactions have locked rows on either side of it
      // when they go on: the debits in one order, the credits in the other, rows locked in event
      // order would deadlock.
      const locker = new Client({ connectionString: harness.databaseUrl });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM gateway.payments WHERE payment_id = $1 FOR UPDATE', [
        paymentId(PAYMENTS / 2),
      ]);
      const both = Promise.allSettled([
        harness.project([0, indexes.map((index) => debited(index, 'a', 'b'))]),
        harness.project([1, [...indexes].reverse().map((index) => completed(index, 'a', 'b'))]),
      ]);
      await harness.waitForLockWaits(2);
      await locker.query('COMMIT');
      await locker.end();
      expect(
        (await both).map((result) =>
          result.status === 'fulfilled' ? 'fulfilled' : String(result.reason),
        ),
      ).toEqual(['fulfilled', 'fulfilled']);
      const { accounts, payments, entries } = await harness.readModels();
      expect(
        Object.fromEntries(
          payments.map((payment) => [
            payment.payment_id,
            [payment.status, payment.client_id, payment.reference],
          ]),
        ),
      ).toEqual(
        Object.fromEntries(
          indexes.map((index) => [paymentId(index), ['completed', 'acme', `ref-${index}`]]),
        ),
      );
      expect(
        accounts.map((account) => [
          account.account_id,
          account.posted_minor,
          account.last_sequence,
        ]),
      ).toEqual([
        ['a', String(-10 * PAYMENTS), String(PAYMENTS + 1)],
        ['b', String(10 * PAYMENTS), String(PAYMENTS + 1)],
      ]);
      expect(entries).toHaveLength(2 * PAYMENTS);
      harness.told.splice(0);
      expect(await harness.takeNotified()).toEqual(['a', 'b', ...indexes.map(paymentId)].sort());
      // Each payment's notification tells its outcome: its request answers without reading it.
      expect(harness.told.map((each) => each.resourceId).sort()).toEqual(
        indexes.map(paymentId).sort(),
      );
      expect(new Set(harness.told.map((each) => each.status))).toEqual(new Set(['completed']));
    });
  });

  describe('when a debit is projected before its credit', () => {
    it("wakes the payment's requests only with the credit, which settles it", async () => {
      await harness.project([0, [debited(PAYMENTS, 'a', 'b')]]);
      expect(await harness.takeNotified()).toEqual(['a']);
      await harness.project([1, [completed(PAYMENTS, 'a', 'b')]]);
      expect(await harness.takeNotified()).toEqual(['b', paymentId(PAYMENTS)]);
    });
  });

  describe('when events already projected are delivered again', () => {
    it("changes no row but the touched payments' update times, and wakes no payment", async () => {
      const before = await harness.readModels();
      await harness.project(
        [0, [debited(3, 'a', 'b'), debited(PAYMENTS, 'a', 'b')]],
        [1, [completed(PAYMENTS, 'a', 'b'), completed(3, 'a', 'b')]],
      );
      const after = await harness.readModels();
      expect(after.accounts).toEqual(before.accounts);
      expect(after.entries).toEqual(before.entries);
      expect(withoutUpdatedAt(after.payments)).toEqual(withoutUpdatedAt(before.payments));
      expect(await harness.takeNotified()).toEqual(['a', 'b']);
    });
  });

  describe('when a freeze is projected with later changes of its account', () => {
    it('records the account as the freeze left it, and moves the row to the latest', async () => {
      await harness.project([2, [opened('c'), deposit('c', 2, 100)]]);
      await harness.project([
        2,
        [
          deposit('c', 3, 200),
          { event: frozen('c', 4), causationId: 'freeze-1' },
          deposit('c', 5, 300),
        ],
      ]);
      const { accounts, outcomes } = await harness.readModels();
      const state = (row: Record<string, unknown> | undefined) =>
        row && [row.status, row.freeze_mode, row.posted_minor, row.last_sequence];
      expect(state(outcomes.find((outcome) => outcome.command_id === 'freeze-1'))).toEqual([
        'frozen',
        'debits',
        '200',
        '4',
      ]);
      expect(state(accounts.find((account) => account.account_id === 'c'))).toEqual([
        'frozen',
        'debits',
        '300',
        '5',
      ]);
      // The deposits are settled by their own events: they are woken too.
      expect(await harness.takeNotified()).toEqual([
        'c',
        'dep-c-2',
        'dep-c-3',
        'dep-c-5',
        'freeze-1',
      ]);
    });
  });
});
