import { commandIds } from '@rtp/contracts';
import { services } from '../../tools/service-processes';
import { PartnerAdapterFixture, payoutReserved } from '../support/partner-adapter';
import { SandboxBank } from '../support/sandbox-bank';

// The bank blackholed (every request hangs), scaled down for npm test: the create breaker opens
// within 5 s, the bank sees no more than the breakers' probes while they are open, the payouts
// wait with their funds held and all complete, once each at the bank, after healing.
jest.setTimeout(180_000);

const PAYOUTS = 12;
const RESET_MS = 1_000;
const OPEN_WINDOW_MS = 4_000;

describe('partner adapter while the bank hangs', () => {
  const adapter = new PartnerAdapterFixture();
  const bank = new SandboxBank();

  /** Requests that reached the bank's API while it hangs: each is one injected hang. */
  async function bankHangs(): Promise<number> {
    const text = (await bank.request('GET', '/metrics')).text;
    const line = text
      .split('\n')
      .find((l) => l.startsWith('sandbox_bank_faults_injected_total{') && l.includes('"hang"'));
    return line ? Number(line.split(' ').at(-1)) : 0;
  }

  async function adapterMetric(pattern: RegExp): Promise<number> {
    const text = await (await fetch(`${adapter.url}/metrics`)).text();
    return Number(pattern.exec(text)?.[1] ?? 0);
  }
  const opened = (kind: 'create' | 'status') =>
    adapterMetric(
      new RegExp(
        `partner_breaker_transitions_total\\{[^}]*call_kind="${kind}"[^}]*to="open"[^}]*\\} (\\d+)`,
      ),
    );

  beforeAll(async () => {
    adapter.port = await services.freePort();
    adapter.webhookSecret = bank.webhookSecret;
    await bank.start({ SANDBOX_BANK_WEBHOOK_URL: `${adapter.url}/webhooks/bank` });
    await adapter.start({
      PARTNER_BANK_URL: bank.url,
      PARTNER_BANK_API_KEY: bank.apiKey,
      PARTNER_CREATE_TIMEOUT_MS: '500',
      PARTNER_STATUS_TIMEOUT_MS: '500',
      PARTNER_BREAKER_RESET_MS: String(RESET_MS),
      PARTNER_BREAKER_VOLUME_THRESHOLD: '3',
      PARTNER_CHECK_BASE_MS: '100',
      PARTNER_CHECK_MAX_MS: '500',
    });
  });

  afterAll(async () => {
    await adapter.stop();
    await bank.stop();
  });

  it('opens, holds the payouts, probes only, and completes every payout once after healing', async () => {
    await bank.setFaults({ hangRate: 1, hangMs: 3_000 });
    const started = Date.now();
    const payouts: { paymentId: string; endToEndId: string }[] = [];
    for (let n = 0; n < PAYOUTS; n += 1) {
      const accountId = `acc-${adapter.run}-${n}`;
      const paymentId = `pay-${adapter.run}-${n}`;
      const event = payoutReserved({
        paymentId,
        accountId,
        amountMinor: '990',
        iban: 'DE50100000000000000001',
        name: 'Grace Brewster Hopper',
      });
      await adapter.publishLedgerEvent('PayoutReserved', accountId, event);
      payouts.push({ paymentId, endToEndId: String(event.endToEndId) });
    }

    await adapter.waitFor(
      'an open create breaker',
      async () => (await opened('create')) > 0,
      10_000,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    // The payouts' outcomes are unknown, so the checker asks about them until the status breaker
    // opens too.
    await adapter.waitFor(
      'an open status breaker',
      async () => (await opened('status')) > 0,
      10_000,
    );

    // While open: at most one probe per reset period per breaker (create and status) reaches it.
    const hangsBefore = await bankHangs();
    // The count is of real requests: the ones that opened the breakers are in it.
    expect(hangsBefore).toBeGreaterThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, OPEN_WINDOW_MS));
    const seen = (await bankHangs()) - hangsBefore;
    const probesMax = 2 * (Math.ceil(OPEN_WINDOW_MS / RESET_MS) + 1);
    expect(seen).toBeLessThanOrEqual(probesMax);

    // The funds stay held: nothing settled or released, every payout waiting for the bank.
    const waiting = await adapter.query(
      `SELECT state FROM partner_adapter.payouts WHERE payment_id = ANY($1)`,
      [payouts.map((p) => p.paymentId)],
    );
    expect(waiting).toHaveLength(PAYOUTS);
    for (const row of waiting) expect(['queued', 'submitting', 'pending']).toContain(row.state);
    expect(adapter.messages('SettlePayout')).toHaveLength(0);
    expect(adapter.messages('ReleasePayout')).toHaveLength(0);

    await bank.setFaults({});
    for (const { paymentId } of payouts) {
      await adapter.waitFor(
        `SettlePayout of ${paymentId}`,
        () => adapter.messages('SettlePayout', commandIds.settlePayout(paymentId)).length > 0,
        60_000,
      );
    }
    for (const { endToEndId } of payouts) {
      const answer = await bank.request('GET', `/v1/transfers?endToEndId=${endToEndId}`);
      expect(answer.body.data).toHaveLength(1);
    }
    expect(adapter.messages('ReleasePayout')).toHaveLength(0);
  });
});
