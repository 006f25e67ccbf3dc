import { composeIBAN } from 'ibantools';
import { commandIds } from '@rtp/contracts';
import { services } from '../../tools/service-processes';
import { PartnerAdapterFixture, accountOpened } from '../support/partner-adapter';
import { CREDITOR_IBAN, SandboxBank } from '../support/sandbox-bank';

// Deposits by webhook from the real sandbox bank process, its webhooks duplicated and reordered
// (20 % each), into the real adapter on real Kafka and PostgreSQL. The accounts' openings are fed
// as the ledger would publish them (AccountOpened with the virtual IBAN).
jest.setTimeout(180_000);

const ACCOUNTS = 10;
const CREDITS = 30;

describe('partner adapter deposits by webhook, duplicated and reordered', () => {
  const adapter = new PartnerAdapterFixture();
  const bank = new SandboxBank();
  // Ten digits unique to this run (the run id is hex); the bank code is the gateway's default.
  const runDigits = String(parseInt(adapter.run, 16)).padStart(10, '0').slice(-8);
  const virtualIban = (index: number) =>
    composeIBAN({
      countryCode: 'DE',
      bban: `10010010${runDigits}${String(index).padStart(2, '0')}`,
    })!;
  const accountOf = (index: number) => `acc-${adapter.run}-${index}`;

  async function openAccount(index: number): Promise<void> {
    await adapter.publishLedgerEvent(
      'AccountOpened',
      accountOf(index),
      accountOpened(accountOf(index), virtualIban(index)),
    );
  }

  async function wire(index: number, amountMinor: string, reference: string) {
    const answer = await bank.request('POST', '/admin/credits', {
      admin: true,
      body: {
        creditorIban: virtualIban(index),
        debtor: { iban: CREDITOR_IBAN, name: 'Ada Lovelace' },
        amountMinor,
        currency: 'EUR',
        endToEndId: `IN-${adapter.run}-${reference}`,
        remittanceInformation: null,
      },
    });
    expect(answer.status).toBe(201);
    return String(answer.body.transactionId);
  }

  const depositIdOf = (transactionId: string) =>
    commandIds.deposit(`bank:sandbox:${transactionId}`);

  async function bankMetric(name: string, label: string): Promise<number> {
    const text = (await bank.request('GET', '/metrics')).text;
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(label));
    return line ? Number(line.split(' ').at(-1)) : 0;
  }

  beforeAll(async () => {
    adapter.port = await services.freePort();
    adapter.webhookSecret = bank.webhookSecret;
    await bank.start({ SANDBOX_BANK_WEBHOOK_URL: `${adapter.url}/webhooks/bank` });
    await adapter.start({
      PARTNER_BANK_URL: bank.url,
      PARTNER_BANK_API_KEY: bank.apiKey,
      PARTNER_UNKNOWN_IBAN_WAIT_MS: '60000',
    });
    for (let index = 0; index < ACCOUNTS; index += 1) await openAccount(index);
    await adapter.waitFor('the IBAN map', async () => {
      const [row] = await adapter.query(
        'SELECT count(*)::int AS n FROM partner_adapter.virtual_ibans WHERE account_id LIKE $1',
        [`acc-${adapter.run}-%`],
      );
      return row.n === ACCOUNTS;
    });
  });

  afterAll(async () => {
    await adapter.stop();
    await bank.stop();
  });

  it('credits each deposit exactly once, to the account its IBAN names', async () => {
    await bank.setFaults({ webhooks: { duplicateRate: 0.2, reorderRate: 0.2, delayMs: 300 } });
    const wired: { transactionId: string; index: number; amountMinor: string }[] = [];
    for (let n = 0; n < CREDITS; n += 1) {
      const index = n % ACCOUNTS;
      const amountMinor = String(100 + n);
      wired.push({ transactionId: await wire(index, amountMinor, `c${n}`), index, amountMinor });
    }
    await adapter.waitFor(
      'every Deposit',
      () => wired.every((w) => adapter.messages('Deposit', depositIdOf(w.transactionId)).length),
      60_000,
    );
    // Let the duplicates and the reordered deliveries still in flight arrive too.
    await bank.setFaults({});
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const { transactionId, index, amountMinor } of wired) {
      const deposits = adapter.messages('Deposit', depositIdOf(transactionId));
      expect(deposits).toHaveLength(1);
      expect(deposits[0].data).toMatchObject({ accountId: accountOf(index), amountMinor });
    }
    const rows = await adapter.query(
      `SELECT count(*)::int AS n, bool_or(suspense) AS suspense FROM partner_adapter.deposits
       WHERE bank_transaction_id = ANY($1)`,
      [wired.map((w) => w.transactionId)],
    );
    expect(rows[0]).toEqual({ n: CREDITS, suspense: false });
    // The faults did happen: duplicates were delivered and some webhooks reordered.
    expect(
      await bankMetric('sandbox_bank_webhook_deliveries_total', 'outcome="duplicate"'),
    ).toBeGreaterThan(0);
    expect(
      await bankMetric('sandbox_bank_faults_injected_total', 'kind="webhook_reorder"'),
    ).toBeGreaterThan(0);
  });

  it('holds a credit that arrives before its AccountOpened and books it to the account after', async () => {
    const late = ACCOUNTS + 1;
    const waiting = async () => {
      const metrics = await (await fetch(`${adapter.url}/metrics`)).text();
      return Number(/partner_credits_waiting_total\{[^}]*\} (\d+)/.exec(metrics)?.[1] ?? 0);
    };
    const before = await waiting();
    const transactionId = await wire(late, '777', 'early');
    // Answered 503 at least twice: the bank redelivers it, with its backoff.
    await adapter.waitFor('503s for the unknown virtual IBAN', async () =>
      (await waiting()) >= before + 2 ? true : null,
    );
    expect(adapter.messages('Deposit', depositIdOf(transactionId))).toHaveLength(0);
    await openAccount(late);
    const [deposit] = await adapter.waitFor(
      'the Deposit after the opening',
      () => {
        const found = adapter.messages('Deposit', depositIdOf(transactionId));
        return found.length > 0 ? found : null;
      },
      30_000,
    );
    expect(deposit.data).toMatchObject({ accountId: accountOf(late), amountMinor: '777' });
    expect(
      adapter
        .messages('DepositToSuspense')
        .filter((m) => m.data.bankTransactionId === transactionId),
    ).toHaveLength(0);
  });
});
