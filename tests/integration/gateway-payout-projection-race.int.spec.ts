import { setTimeout as sleep } from 'node:timers/promises';
import { PayoutChange } from '../../libs/gateway/infrastructure/src/projection/payout-changes';
import { writePayoutChanges } from '../../libs/gateway/infrastructure/src/projection/payout-changes.statements';
import { useProjectionHarness } from '../support/gateway-projection';

jest.setTimeout(60_000);

const AT = new Date('2026-12-01T10:00:00Z');

/** What the partner adapter's PayoutSubmitted writes: pending, for a row that may not exist yet. */
const submitted = (paymentId: string): PayoutChange => ({
  paymentId,
  creation: null,
  status: { status: 'pending', failureCode: null, at: AT },
  history: [{ status: 'pending', failureCode: null, at: AT }],
  decided: false,
  bankReference: null,
  escalatedAt: null,
});

/** What the ledger's PayoutReserved writes for a payout the gateway did not store first. */
const reserved = (paymentId: string): PayoutChange => ({
  paymentId,
  creation: {
    clientId: 'acme',
    accountId: 'acc-race',
    amountMinor: '1250',
    currency: 'EUR',
    reference: null,
    partnerId: 'sandbox',
    beneficiary: { iban: 'DE89370400440532013000', name: 'Grace Hopper' },
    endToEndId: 'e2e-race',
  },
  status: { status: 'processing', failureCode: null, at: AT },
  history: [{ status: 'processing', failureCode: null, at: AT }],
  decided: true,
  bankReference: null,
  escalatedAt: null,
});

describe('a payout projected from its two topics by two transactions at once', () => {
  const harness = useProjectionHarness();

  it('ends at the status its history reached when the row is created during the other write', async () => {
    const paymentId = 'pay-race-1';
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const partnerWritten = new Promise<void>((resolve) => (written = resolve));
    // The partner event's transaction: pending recorded, no row to update, not committed yet.
    const partner = harness.dataSource.transaction(async (manager) => {
      await writePayoutChanges(manager, [submitted(paymentId)], AT);
      written();
      await released;
    });
    await partnerWritten;
    // The ledger event's transaction creates the row meanwhile. Without a lock per payout it reads
    // no history (not committed) and commits `processing` before the other commits.
    const ledger = harness.dataSource.transaction((manager) =>
      writePayoutChanges(manager, [reserved(paymentId)], AT),
    );
    const finishedFirst = await Promise.race([
      ledger.then(() => true),
      sleep(500).then(() => false),
    ]);
    release();
    await Promise.all([partner, ledger]);
    expect(finishedFirst).toBe(false);
    const [row] = await harness.dataSource.query(
      'SELECT status FROM gateway.payments WHERE payment_id = $1',
      [paymentId],
    );
    expect(row.status).toBe('pending');
    const history = await harness.dataSource.query(
      'SELECT status FROM gateway.payment_status_history WHERE payment_id = $1 ORDER BY status',
      [paymentId],
    );
    expect(history.map((entry: { status: string }) => entry.status)).toEqual([
      'pending',
      'processing',
    ]);
  });
});
