import { commandIds } from '@rtp/contracts';
import { services } from '../../tools/service-processes';
import { PartnerAdapterFixture, payoutReserved } from '../support/partner-adapter';
import { SandboxBank } from '../support/sandbox-bank';

// Payouts that never got out because the create breaker stayed open past the deadline: they are
// escalated (event, metric, review list) where they wait, and still sent once it closes.
jest.setTimeout(180_000);

describe('partner adapter escalating queued payouts', () => {
  const adapter = new PartnerAdapterFixture();
  const bank = new SandboxBank();
  let next = 0;

  async function reserve() {
    next += 1;
    const accountId = `acc-${adapter.run}-${next}`;
    const paymentId = `pay-${adapter.run}-${next}`;
    const event = payoutReserved({
      paymentId,
      accountId,
      amountMinor: '515',
      iban: 'DE50100000000000000001',
      name: 'Grace Brewster Hopper',
    });
    await adapter.publishLedgerEvent('PayoutReserved', accountId, event);
    return paymentId;
  }

  async function metric(pattern: RegExp): Promise<number> {
    const text = await (await fetch(`${adapter.url}/metrics`)).text();
    return Number(pattern.exec(text)?.[1] ?? 0);
  }

  beforeAll(async () => {
    adapter.port = await services.freePort();
    adapter.webhookSecret = bank.webhookSecret;
    await bank.start({ SANDBOX_BANK_WEBHOOK_URL: `${adapter.url}/webhooks/bank` });
    await adapter.start({
      PARTNER_BANK_URL: bank.url,
      PARTNER_BANK_API_KEY: bank.apiKey,
      PARTNER_CREATE_TIMEOUT_MS: '300',
      PARTNER_STATUS_TIMEOUT_MS: '300',
      // Open long enough for the queued payouts to pass their deadline without a probe.
      PARTNER_BREAKER_RESET_MS: '8000',
      PARTNER_BREAKER_VOLUME_THRESHOLD: '3',
      PARTNER_CHECK_BASE_MS: '100',
      PARTNER_CHECK_MAX_MS: '500',
      PARTNER_PENDING_DEADLINE_MS: '2000',
    });
  });

  afterAll(async () => {
    await adapter.stop();
    await bank.stop();
  });

  it('escalates payouts queued past the deadline and still sends them when the breaker closes', async () => {
    await bank.setFaults({ hangRate: 1, hangMs: 2_000 });
    for (let n = 0; n < 4; n += 1) await reserve();
    await adapter.waitFor('an open create breaker', async () =>
      (await metric(
        /partner_breaker_transitions_total\{[^}]*call_kind="create"[^}]*to="open"[^}]*\} (\d+)/,
      )) > 0
        ? true
        : null,
    );
    const queued = [await reserve(), await reserve(), await reserve()];
    const rows = await adapter.waitFor('the queued payouts escalated', async () => {
      const found = await adapter.query(
        `SELECT payment_id, state, submissions, escalated_at FROM partner_adapter.payouts
         WHERE payment_id = ANY($1)`,
        [queued],
      );
      return found.length === 3 && found.every((row) => row.escalated_at !== null) ? found : null;
    });
    for (const row of rows) expect(row).toMatchObject({ state: 'queued', submissions: 0 });
    for (const paymentId of queued) {
      expect(
        adapter.messages('PayoutEscalated').filter((m) => m.data.paymentId === paymentId),
      ).toHaveLength(1);
    }
    expect(await metric(/partner_payouts_escalated_total\{[^}]*\} (\d+)/)).toBeGreaterThanOrEqual(
      3,
    );
    const review = await adapter.review('payouts');
    const listed = review.body.data.filter((p: any) => queued.includes(p.paymentId));
    expect(listed.map((p: any) => p.state)).toEqual(['queued', 'queued', 'queued']);
    expect(adapter.messages('ReleasePayout')).toHaveLength(0);

    await bank.setFaults({});
    for (const paymentId of queued) {
      await adapter.waitFor(
        `SettlePayout of ${paymentId}`,
        () => adapter.messages('SettlePayout', commandIds.settlePayout(paymentId)).length > 0,
        60_000,
      );
    }
    // Escalated once each, however long they waited and whatever happened after.
    for (const paymentId of queued) {
      expect(
        adapter.messages('PayoutEscalated').filter((m) => m.data.paymentId === paymentId),
      ).toHaveLength(1);
    }
  });
});
